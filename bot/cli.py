"""`python -m bot COMMAND`: the operator's entry points."""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from bot.model_files import ROOT, ensure_model

ACTIONS_PORT = 5055


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__ + "\n\ncommands: train, chat, audit, bind-openid (the tools: python -m tools)")
        return 0
    command, rest = argv[0], argv[1:]
    if command == "train":
        parser = argparse.ArgumentParser(prog="python -m bot train")
        parser.add_argument("--force", action="store_true", help="retrain even if inputs are unchanged")
        print(ensure_model(force=parser.parse_args(rest).force))
        return 0
    if command == "chat":
        return chat(rest)
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
    actions = start_action_server()  # starts while the model loads; awaited before the first prompt
    try:
        asyncio.run(_repl(model, args.staff, actions))
    finally:
        actions.terminate()
        actions.wait(timeout=10)
    return 0


def start_action_server(port: int = ACTIONS_PORT) -> subprocess.Popen:
    if _port_open(port):
        raise SystemExit(f"port {port} is busy: is another action server running?")
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / "actions.log", "ab")
    return subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def wait_for_action_server(proc: subprocess.Popen, port: int = ACTIONS_PORT, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not _port_open(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the action server did not start; see var/actions.log")
        time.sleep(0.2)


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


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
    await asyncio.to_thread(wait_for_action_server, actions)
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
