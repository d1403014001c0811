#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the pinned dependencies.
# Idempotent and fast on a second run: reinstalls only when requirements.txt changed.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python310() {
  if [ -n "${PYTHON310:-}" ] && [ -x "$PYTHON310" ]; then echo "$PYTHON310"; return; fi
  if command -v python3.10 >/dev/null 2>&1 && python3.10 -c 'import sys; assert sys.version_info[:2]==(3,10)' 2>/dev/null; then
    command -v python3.10; return
  fi
  for p in "$HOME"/.pyenv/versions/3.10.*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do
    if [ -x "$p" ]; then echo "$p"; return; fi
  done
}

PY=$(find_python310 || true)
if [ -z "$PY" ]; then
  echo "error: Python 3.10 is required (Rasa 3.6 does not run on 3.11+)." >&2
  echo "       Install it (e.g. 'pyenv install 3.10' or 'apt-get install python3.10 python3.10-venv')" >&2
  echo "       or point PYTHON310 at a python3.10 binary." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; assert sys.version_info[:2]==(3,10)' 2>/dev/null; then
  echo "setup: creating .venv with $PY"
  rm -rf .venv
  "$PY" -m venv .venv
fi

want=$(sha256sum requirements.txt | cut -d' ' -f1)
have=$(cat .venv/.requirements.sha256 2>/dev/null || true)
if [ "$want" != "$have" ]; then
  echo "setup: installing pinned dependencies (a few minutes on a fresh machine)"
  mkdir -p var
  log=var/setup-pip.log
  if ! { .venv/bin/python -m pip install --upgrade "pip==24.3.1" "setuptools==70.3.0" "wheel==0.45.1" &&
         .venv/bin/python -m pip install -r requirements.txt; } >"$log" 2>&1; then
    grep -v "is ignored: it is neither" "$log" | tail -30 >&2
    echo "setup: pip install failed (full log: $log)" >&2
    exit 1
  fi
  echo "$want" > .venv/.requirements.sha256
fi
echo "setup: dependencies ok"
