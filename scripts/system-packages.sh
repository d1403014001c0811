#!/usr/bin/env bash
# System packages the tests need beyond Python: HAProxy (Debian's package), the load balancer the
# production-style stack and its fault drills run through (deploy/haproxy.cfg). `make test` calls this;
# `make run` does not need it. Idempotent: nothing happens when it is installed.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ]; then
  exit 0
fi
echo "setup: installing haproxy (Debian package)"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "error: haproxy is missing and this user cannot install it; run: apt-get install haproxy" >&2
  exit 1
fi
mkdir -p var
log=var/setup-apt.log
if ! { $SUDO apt-get install -y -q haproxy || { $SUDO apt-get update -q && $SUDO apt-get install -y -q haproxy; }; } \
    >"$log" 2>&1 </dev/null; then
  tail -20 "$log" >&2
  echo "setup: apt-get install haproxy failed (full log: $log)" >&2
  exit 1
fi
