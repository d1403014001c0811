"""The production-style stack, locally and without Docker: `python -m bot stack` (see bot.stack.cli)."""
