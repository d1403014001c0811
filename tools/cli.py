"""`python -m tools COMMAND`: the tools around the assistant (the runtime's own commands are `python -m bot`)."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__ + "\n\ncommands: demo-data, converse, stack")
        return 0
    command, rest = argv[0], argv[1:]
    if command == "demo-data":
        from tools.demo.cli import main as demo_main

        return demo_main(rest)
    if command == "converse":
        from tools.converse.cli import main as converse_main

        return converse_main(rest)
    if command == "stack":
        from tools.stack.cli import main as stack_main

        return stack_main(rest)
    print(f"unknown command: {command}", file=sys.stderr)
    return 2
