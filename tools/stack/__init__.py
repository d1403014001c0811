"""The production-style stack, locally and without Docker: `python -m tools stack` (see tools.stack.cli)."""
