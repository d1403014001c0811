"""The production-style stack's load balancer: HAProxy (Debian's package) run from deploy/haproxy.cfg.

The shipped file holds everything reviewed (listeners, limits, timeouts, forwarding rules); this module
adds only the list of Rasa instances as a second config file, runs HAProxy in the foreground, and reads
its stats page (CSV) into the figures the drills check.
"""

from __future__ import annotations

import csv
import io
import shutil
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from bot.model_files import ROOT

CONFIG = ROOT / "deploy" / "haproxy.cfg"
BACKEND = "rasa"
FRONTEND = "webhooks"
INSTALL_HINT = "HAProxy is not installed: apt-get install haproxy (scripts/setup.sh does it on a fresh machine)"


class HAProxyMissing(RuntimeError):
    pass


def binary() -> str:
    path = shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None)
    if path is None:
        raise HAProxyMissing(INSTALL_HINT)
    return path


HEALTH_PATH = "/webhooks/counter/"  # a channel's own health route: 200 once the instance has its model


def backends_config(urls: list[str], check_interval_s: float = 2.0, health_path: str = HEALTH_PATH) -> str:
    """The `backend rasa` section: round robin, an active health check, down after 2 failed checks, up
    again after 1."""
    lines = [
        f"backend {BACKEND}",
        "    balance roundrobin",
        f"    option httpchk GET {health_path}",
        "    http-check expect status 200",
        f"    default-server check inter {int(check_interval_s * 1000)}ms fall 2 rise 1",
    ]
    for index, url in enumerate(urls, start=1):
        parts = urlsplit(url)
        lines.append(f"    server rasa{index} {parts.hostname}:{parts.port}")
    return "\n".join(lines) + "\n"


def write_backends(
    run_dir: Path, urls: list[str], check_interval_s: float = 2.0, health_path: str = HEALTH_PATH
) -> Path:
    path = run_dir / "haproxy-backends.cfg"
    path.write_text(backends_config(urls, check_interval_s, health_path), encoding="utf-8")
    return path


def command(backends_file: Path) -> list[str]:
    # -db: stay in the foreground (the stack's process manager stops it); -W is not needed without reloads.
    return [binary(), "-db", "-f", str(CONFIG), "-f", str(backends_file)]


def environment(host: str, port: int, admin_port: int) -> dict[str, str]:
    return {"BOT_LB_BIND": f"{host}:{port}", "BOT_LB_ADMIN_BIND": f"127.0.0.1:{admin_port}"}


def status(admin_url: str, timeout_s: float = 5.0) -> dict:
    """Per instance up/down and counters, from HAProxy's stats page on the internal port.

    requests: requests the frontend took; bad_gateway: 5xx answered to clients (HAProxy's own 502/503/504
    or an instance's); retried_elsewhere: connection retries and redispatches to another instance.
    """
    with urllib.request.urlopen(f"{admin_url}/stats;csv", timeout=timeout_s) as response:
        text = response.read().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("# "))))
    servers = [r for r in rows if r["pxname"] == BACKEND and r["svname"] not in ("FRONTEND", "BACKEND")]
    frontend = next(r for r in rows if r["pxname"] == FRONTEND and r["svname"] == "FRONTEND")
    backend = next(r for r in rows if r["pxname"] == BACKEND and r["svname"] == "BACKEND")
    return {
        "backends": [
            {
                "url": f"http://{r['addr']}",
                "up": r["status"].startswith("UP"),
                "requests": _int(r["stot"]),
                "failures": _int(r["econ"]) + _int(r["eresp"]),
            }
            for r in servers
        ],
        "requests": _int(frontend["req_tot"]),
        "retried_elsewhere": _int(backend["wretr"]) + _int(backend["wredis"]),
        "bad_gateway": _int(frontend["hrsp_5xx"]),
    }


def _int(value: str | None) -> int:
    return int(value) if value else 0
