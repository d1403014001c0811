"""The demo bank: a reproducible, realistic customer store with churn stories and their ground truth.

Entry points: `bot.demo.cli.main` (`python -m bot demo-data ...`) and `bot.demo.load.generate_bank`.
The showcase clients every demo relies on are listed in `bot.demo.showcase`.
"""
