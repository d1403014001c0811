"""Child processes of the production-style stack: started with a log file, waited for, stopped, killed,
restarted. The waiting and stopping helpers are the ones the conversation runner's local stack uses
(tools.converse.stack); this module adds what fault drills need on top: keep the command so a process can
be restarted, and kill it without warning the way a crashed machine would.
"""

from __future__ import annotations

import random
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.model_files import ROOT
from tools.converse.stack import StackError, _port_open, _rasa_ready, _stop, _tail, _wait_until, free_port

__all__ = ["ManagedProcess", "StackError", "free_port", "port_open", "rasa_ready", "server_port"]

port_open = _port_open
rasa_ready = _rasa_ready


def server_port(low: int = 20000, high: int = 32000) -> int:
    """A free port for a server that binds it later (Rasa binds only once its model is loaded).

    Below Linux's ephemeral range (32768-60999), so the many outgoing connections on this machine
    cannot take it in the meantime, as they can take a port `free_port()` found free a minute ago."""
    rng = random.SystemRandom()
    for _ in range(200):
        port = rng.randrange(low, high)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        if not _port_open(port):
            return port
    return free_port()


@dataclass
class ManagedProcess:
    """One server process: `start` returns once `ready()` holds (or raises StackError with the log's tail)."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log_file: Path
    ready: Callable[[], bool]
    start_timeout_s: float = 300.0
    proc: subprocess.Popen | None = field(default=None, repr=False)
    starts: int = 0

    def spawn(self) -> None:
        """Start without waiting (several processes can then warm up side by side)."""
        if self.running:
            return
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_file, "ab") as out:
            out.write(f"\n--- start #{self.starts + 1} {time.strftime('%H:%M:%S')}: {' '.join(self.argv)}\n".encode())
            out.flush()
            self.proc = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.starts += 1

    def wait_ready(self, timeout_s: float | None = None) -> None:
        if self.proc is None:
            raise StackError(f"{self.name} was never started")
        _wait_until(self.ready, self.proc, self.name, self.log_file, timeout_s or self.start_timeout_s)

    def start(self, timeout_s: float | None = None) -> None:
        self.spawn()
        self.wait_ready(timeout_s)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 20 s."""
        _stop(self.proc)

    def kill(self) -> None:
        """SIGKILL at once: no goodbye, no clean-up, as when a machine dies."""
        if self.running:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def restart(self, timeout_s: float | None = None) -> None:
        self.stop()
        self.start(timeout_s)

    def tail(self, chars: int = 3000) -> str:
        return _tail(self.log_file, chars)
