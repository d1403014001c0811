#!/usr/bin/env bash
# One line on the terminal for one set-up step of `make run`; the step's own output goes to a log file.
# On failure: the tail of the log and its path.   usage: scripts/step.sh "what it does" LOG COMMAND [ARG...]
set -uo pipefail
label=$1 log=$2
shift 2
mkdir -p "$(dirname "$log")"
printf '%s … ' "$label"
start=$SECONDS
if "$@" >"$log" 2>&1; then
  echo "done ($((SECONDS - start)) s)"
else
  rc=$?
  echo "failed"
  tail -n 20 "$log" >&2
  echo "($label failed, exit $rc; full log: $log)" >&2
  exit "$rc"
fi
