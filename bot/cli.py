"""`python -m bot COMMAND`: the operator's entry points."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from bot import action_secret, action_server
from bot.model_files import ROOT, ensure_model

LOGS = ROOT / "var" / "logs"


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(
            __doc__
            + "\n\ncommands: train, chat, rasa, actions, audit, handover, bind-openid, alerts (the tools: python -m tools)"
        )
        return 0
    command, rest = argv[0], argv[1:]
    if command == "train":
        parser = argparse.ArgumentParser(prog="python -m bot train")
        parser.add_argument("--force", action="store_true", help="retrain even if inputs are unchanged")
        print(ensure_model(force=parser.parse_args(rest).force))
        return 0
    if command == "chat":
        return chat(rest)
    if command == "rasa":
        return rasa(rest)
    if command == "actions":
        return action_server.main(rest)
    if command == "audit":
        from bot.audit_cli import main as audit_main

        return audit_main(rest)
    if command == "handover":
        from bot.handover_cli import main as handover_main

        return handover_main(rest)
    if command == "alerts":
        from bot.alerts.cli import main as alerts_main

        return alerts_main(rest)
    if command == "bind-openid":
        from bot.channels.admin import main as admin_main

        return admin_main(["bind-openid", *rest])
    print(f"unknown command: {command}", file=sys.stderr)
    return 2


def rasa(argv: list[str]) -> int:
    """`python -m bot rasa run ...`: Rasa's own command line with the project's patches applied first.

    Every launcher of a Rasa server (the production stack, the QA runner, docker-compose) goes through here.
    """
    from bot import rasa_patches

    rasa_patches.apply()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]
    rasa_main()
    return 0


def chat(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot chat", description="Terminal chat as a staff member.")
    parser.add_argument("--as", dest="staff", default="rm01", help="staff id to sign in as (default rm01)")
    args = parser.parse_args(argv)
    chat_log = _quiet_chat_process()
    model = ensure_model(log=LOGS / "train.log")
    # A secret for this run only, known to the two processes: other users of the machine can reach loopback.
    secret = action_secret.from_environment() or action_secret.generate()
    try:
        # Starts while the model loads; awaited before the first prompt.
        actions = action_server.start(env=action_server.environment(**{action_secret.ENV: secret}))
    except action_server.ActionServerError as exc:
        raise SystemExit(str(exc)) from None
    try:
        asyncio.run(_repl(model, args.staff, actions, chat_log, secret))
    except action_server.ActionServerError as exc:
        raise SystemExit(str(exc)) from None
    finally:
        action_server.stop(actions, timeout_s=10)
    return 0


def _quiet_chat_process() -> Path:
    """The terminal is for the conversation: TensorFlow's, Rasa's and Python's warnings go to var/logs/chat.log.

    For the chat process only (tests and the servers keep their logging as it is). Returns the log's path.
    """
    import logging
    import warnings

    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / "chat.log"
    handler = logging.FileHandler(log, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.captureWarnings(True)  # Python warnings into the log too, each once
    warnings.simplefilter("default")
    return log


@contextlib.contextmanager
def _stderr_to(log: Path) -> Iterator[None]:
    """Everything written to file descriptor 2 (also by C extensions) goes to `log` meanwhile."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "ab") as out:
        os.dup2(out.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def _briefing(staff_id: str) -> str | None:
    """The signed-in member's morning briefing, as WeCom would push it; None when there is nothing to say."""
    from bot.alerts.briefing import briefing_text
    from bot.clock import today
    from bot.store.db import session_scope
    from bot.store.staff_directory import staff_by_id

    try:
        with session_scope() as session:
            member = staff_by_id(session, staff_id)
            return briefing_text(session, member, today()) if member else None
    except Exception:  # noqa: BLE001 - the chat must start even when the briefing cannot be built
        logging.getLogger(__name__).exception("morning briefing for %s failed", staff_id)
        return None


async def _repl(model: Path, staff: str, actions: subprocess.Popen, log: Path, secret: str) -> None:
    import logging

    print("assistant: loading the model and starting the action server … ", end="", flush=True)
    started = time.monotonic()
    try:
        with _stderr_to(log):
            # TensorFlow's C++ logging, read when it is imported. Set here, after the training and the action
            # server have started, so that only this process is quieted.
            os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
            from rasa.core.agent import load_agent

            from bot import rasa_patches

            rasa_patches.apply()
            from rasa.core.utils import AvailableEndpoints
            from rasa.utils.log_utils import configure_structlog

            configure_structlog(logging.WARNING)  # through the root logger, i.e. into the log
            endpoints = AvailableEndpoints.read_endpoints("endpoints.yml")
            endpoints.action.headers.update(action_secret.headers(secret))
            agent = await load_agent(model_path=str(model), endpoints=endpoints)
            await asyncio.to_thread(action_server.wait, actions)
    except BaseException:
        print("failed", flush=True)
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
        print("\n".join(tail), file=sys.stderr)
        print(f"(full logs: {log.relative_to(ROOT)}, var/actions.log)", file=sys.stderr)
        raise
    print(f"done ({time.monotonic() - started:.0f} s)", flush=True)

    from bot.message_guard import clean, rejection

    print(f"已登录为 {staff}。输入问题，输入 /exit 退出。")
    briefing = await asyncio.to_thread(_briefing, staff)
    if briefing:
        print("助手> " + briefing.replace("\n", "\n      "))
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
