"""The action server (rasa_sdk serving the `actions` package): the one place that knows how to start it.

`python -m bot actions [--port N] [--host ADDR]` runs it in the foreground (deploy/docker-compose.yml);
`command()` is the argv every launcher uses (the terminal chat, the QA runner's local stack, the
production-style stack), `start()` spawns it with its output in a log file and `wait()` returns once it
accepts connections. It listens on 127.0.0.1 unless told otherwise (`--host 0.0.0.0` in a container) and
checks Rasa's shared secret (BOT_ACTIONS_SECRET, bot/action_secret.py) before running any action; without
a secret it starts on loopback only.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from bot import action_secret
from bot.model_files import ROOT

PORT = 5055
HOST = "127.0.0.1"
PACKAGE = "actions"
LOG_FILE = ROOT / "var" / "actions.log"


class ActionServerError(RuntimeError):
    """The action server exited or did not start listening in time; the message says where to look."""


def command(port: int = PORT, host: str = HOST) -> list[str]:
    """The argv that runs the action server on `host`:`port` from the repository root."""
    return [sys.executable, "-m", "bot", "actions", "--port", str(port), "--host", host]


def environment(**extra: str) -> dict[str, str]:
    """The calling process's environment with the repository importable (the actions import bot/)."""
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def start(port: int = PORT, env: dict[str, str] | None = None, log_file: Path = LOG_FILE) -> subprocess.Popen:
    """Spawn the action server on `port` and return at once (it takes a few seconds to listen: see `wait`)."""
    if listening(port):
        raise ActionServerError(f"port {port} is busy: is another action server running?")
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as out:
        return subprocess.Popen(
            command(port),
            cwd=ROOT,
            env=env if env is not None else environment(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait(proc: subprocess.Popen, port: int = PORT, timeout_s: float = 120, log_file: Path = LOG_FILE) -> None:
    """Return once the server started by `start` listens on `port`; raise ActionServerError otherwise."""
    deadline = time.monotonic() + timeout_s
    while not listening(port):
        if proc.poll() is not None:
            raise ActionServerError(f"the action server exited with code {proc.returncode}; see {log_file}")
        if time.monotonic() > deadline:
            raise ActionServerError(f"the action server was not listening after {timeout_s:.0f} s; see {log_file}")
        time.sleep(0.2)


def stop(proc: subprocess.Popen | None, timeout_s: float = 20) -> None:
    """SIGTERM, then SIGKILL when it has not exited after `timeout_s`."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def main(argv: list[str]) -> int:
    """`python -m bot actions`: serve the actions in this process until stopped."""
    parser = argparse.ArgumentParser(prog="python -m bot actions", description="Run the action server (rasa_sdk).")
    parser.add_argument("--port", type=int, default=PORT, help=f"port to listen on (default {PORT})")
    parser.add_argument(
        "--host", default=HOST, help=f"address to listen on (default {HOST}; 0.0.0.0 in a container, with a secret)"
    )
    args = parser.parse_args(argv)
    secret = action_secret.from_environment()
    try:
        action_secret.check_startup(secret, args.host)
    except action_secret.SecretError as exc:
        print(f"the action server will not start: {exc}", file=sys.stderr)
        return 2
    serve(args.host, args.port, secret)
    return 0


def serve(host: str, port: int, secret: str | None) -> None:
    """rasa_sdk's own `run`, with the host given and the secret checked before every route but /health."""
    import logging

    from rasa_sdk import utils
    from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
    from rasa_sdk.endpoint import create_app, create_argument_parser
    from rasa_sdk.plugin import plugin_manager

    defaults = create_argument_parser().parse_args([])  # rasa_sdk's logging defaults, as its own main sets them
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(defaults.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
        defaults.log_file,
        defaults.loglevel,
        defaults.logging_config_file,
    )
    utils.update_sanic_log_level()
    app = create_app(PACKAGE, cors_origins=None)  # called by Rasa, never by a browser: no CORS
    action_secret.protect(app, secret)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    if secret is None:
        logging.getLogger(__name__).warning(
            "no %s: any process on this machine can run actions (loopback only)", action_secret.ENV
        )
    logging.getLogger(__name__).info("action server on http://%s:%s", host, port)
    app.run(host, port, workers=utils.number_of_sanic_workers())
