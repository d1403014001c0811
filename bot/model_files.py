"""The trained Rasa model is named by a fingerprint of everything it is trained from,
so a second run retrains only when data, config, domain or the custom NLU code changed."""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
INPUTS = ("config.yml", "domain.yml", "data", "bot/nlu")


def fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            if "__pycache__" in f.parts:
                continue
            digest.update(str(f.relative_to(root)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def model_path(root: Path = ROOT) -> Path:
    return MODELS / f"assistant-{fingerprint(root)}.tar.gz"


def ensure_model(force: bool = False, log: Path | None = None) -> Path:
    """Train unless a model for exactly these inputs exists already.

    With `log`, Rasa's output goes to that file and the terminal gets one progress line (`make run`);
    on failure the tail of the log is shown and the process exits.
    """
    target = model_path()
    if target.exists() and not force:
        if log is not None:
            print(f"Rasa model: up to date ({target.relative_to(ROOT)})", flush=True)
        return target
    MODELS.mkdir(exist_ok=True)
    # One training at a time per checkout (pytest, `make run` and a stack can all ask at once):
    # whoever waits finds the model the first one trained.
    with open(MODELS / ".training.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists() and not force:
            return target
        return _train(target, log)


def _train(target: Path, log: Path | None = None) -> Path:
    if log is None:
        print(f"training the assistant model -> {target.name}", file=sys.stderr)
    # Train under a name of this process's own and rename into place: a concurrent or interrupted
    # training never leaves a half-written file under the name that marks a model as ready.
    partial = f"partial-{os.getpid()}-{target.name[: -len('.tar.gz')]}"
    cmd = [
        sys.executable,
        "-m",
        "rasa",
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain.yml",
        "--data",
        "data",
        "--out",
        str(MODELS),
        "--fixed-model-name",
        partial,
    ]
    if log is None:
        subprocess.run(cmd, cwd=ROOT, check=True)
    else:
        _run_logged(cmd, log, "Rasa model: training (about 2 minutes)")
    os.replace(MODELS / f"{partial}.tar.gz", target)
    _prune(keep=target)
    return target


def _prune(keep: Path, newest: int = 3) -> None:
    """Models of earlier inputs pile up during development; keep the few newest."""
    old = sorted(MODELS.glob("assistant-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in [p for p in old if p != keep][newest - 1 :]:
        path.unlink(missing_ok=True)


def _run_logged(cmd: list[str], log: Path, label: str) -> None:
    """`cmd` with its output in `log` and one line on the terminal; on failure the log's tail, then exit."""
    log.parent.mkdir(parents=True, exist_ok=True)
    shown = log.relative_to(ROOT) if log.is_relative_to(ROOT) else log
    print(f"{label} … ", end="", flush=True)
    started = time.monotonic()
    with open(log, "wb") as out:
        code = subprocess.run(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT).returncode
    if code == 0:
        print(f"done ({time.monotonic() - started:.0f} s)", flush=True)
        return
    print("failed", flush=True)
    tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
    print("\n".join(tail), file=sys.stderr)
    raise SystemExit(f"({label} failed, exit {code}; full log: {shown})")
