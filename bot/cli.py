"""`python -m bot COMMAND`: the operator's entry points."""
from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
from pathlib import Path

from bot import action_server
from bot.model_files import ensure_model


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__ + "\n\ncommands: train, chat, actions, audit, bind-openid (the tools: python -m tools)")
        return 0
    command, rest = argv[0], argv[1:]
    if command == "train":
        parser = argparse.ArgumentParser(prog="python -m bot train")
        parser.add_argument("--force", action="store_true", help="retrain even if inputs are unchanged")
        print(ensure_model(force=parser.parse_args(rest).force))
        return 0
    if command == "chat":
        return chat(rest)
    if command == "actions":
        return action_server.main(rest)
    if command == "audit":
        from bot.audit_cli import main as audit_main

        return audit_main(rest)
    if command == "bind-openid":
        from bot.channels.admin import main as admin_main

        return admin_main(["bind-openid", *rest])
    print(f"unknown command: {command}", file=sys.stderr)
    return 2


def chat(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot chat", description="Terminal chat as a staff member.")
    parser.add_argument("--as", dest="staff", default="rm01", help="staff id to sign in as (default rm01)")
    args = parser.parse_args(argv)
    model = ensure_model()
    try:
        actions = action_server.start()  # starts while the model loads; awaited before the first prompt
    except action_server.ActionServerError as exc:
        raise SystemExit(str(exc)) from None
    try:
        asyncio.run(_repl(model, args.staff, actions))
    except action_server.ActionServerError as exc:
        raise SystemExit(str(exc)) from None
    finally:
        action_server.stop(actions, timeout_s=10)
    return 0


async def _repl(model: Path, staff: str, actions: subprocess.Popen) -> None:
    import logging
    import warnings

    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    from bot.message_guard import clean, rejection

    # The terminal is for the conversation; Rasa's own chatter stays at warnings and above.
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    warnings.filterwarnings("ignore")

    agent = await load_agent(model_path=str(model), endpoints=AvailableEndpoints.read_endpoints("endpoints.yml"))
    await asyncio.to_thread(action_server.wait, actions)
    print(f"已登录为 {staff}。输入问题，输入 /exit 退出。")
    while True:
        try:
            raw = await asyncio.to_thread(input, "您> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if raw.strip() in ("/exit", "/quit"):
            return
        text = clean(raw)
        problem = rejection(text)
        if problem:
            print(f"助手> {problem}")
            continue
        for reply in await agent.handle_text(text, sender_id=staff):
            if reply.get("text"):
                print("助手> " + reply["text"].replace("\n", "\n      "))
