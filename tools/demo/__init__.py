"""The demo bank: a reproducible, realistic customer store with churn stories and their ground truth.

Entry points: `tools.demo.cli.main` (`python -m tools demo-data ...`) and `tools.demo.load.generate_bank`.
The showcase clients every demo relies on are listed in `tools.demo.showcase`.
"""
