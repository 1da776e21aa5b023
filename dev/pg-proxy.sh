#!/bin/sh
# Puts Debian's websockify in front of the local Postgres so the Neon driver inside
# workerd can reach it (DESIGN.md: the Worker sets PG_WS_PROXY=127.0.0.1:5433).
#
#   npm run pg:proxy            # or: sh dev/pg-proxy.sh
#   PG_PROXY_LISTEN=127.0.0.1:5433 PG_PROXY_TARGET=127.0.0.1:5432 sh dev/pg-proxy.sh
#   sh dev/pg-proxy.sh stop     # stops the proxy this script started (by its pid file)
#
# Idempotent: if the listen port already accepts connections it does nothing.
set -eu

LISTEN="${PG_PROXY_LISTEN:-127.0.0.1:5433}"
TARGET="${PG_PROXY_TARGET:-127.0.0.1:5432}"
STATE_DIR="${PG_PROXY_STATE_DIR:-${TMPDIR:-/tmp}/marketflow-pg-proxy}"
PID_FILE="$STATE_DIR/websockify.pid"
LOG_FILE="$STATE_DIR/websockify.log"
HOST="${LISTEN%:*}"
PORT="${LISTEN##*:}"

listening() {
  # bash-free TCP probe: node is always present in this project.
  node -e 'const s=require("net").connect(+process.argv[2],process.argv[1]);s.on("connect",()=>{s.destroy();process.exit(0)});s.on("error",()=>process.exit(1))' "$HOST" "$PORT"
}

if [ "${1:-start}" = "stop" ]; then
  if [ -f "$PID_FILE" ]; then
    pid="$(cat "$PID_FILE")"
    # Only our websockify: a stale pid file must not kill a process that reused the pid.
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q websockify; then
      kill "$pid" 2>/dev/null || true
      echo "pg-proxy: stopped (pid $pid)"
    else
      echo "pg-proxy: pid $pid is not running websockify; removed the stale pid file"
    fi
    rm -f "$PID_FILE"
  else
    echo "pg-proxy: no pid file at $PID_FILE; nothing to stop"
  fi
  exit 0
fi

if listening; then
  echo "pg-proxy: $LISTEN already accepts connections; nothing to do"
  exit 0
fi

if ! command -v websockify >/dev/null 2>&1; then
  echo "pg-proxy: websockify not found; install it with: apt-get install -y websockify" >&2
  exit 1
fi

mkdir -p "$STATE_DIR"
# nohup + setsid: the proxy outlives this script and the npm process that ran it.
nohup setsid websockify "$LISTEN" "$TARGET" >"$LOG_FILE" 2>&1 </dev/null &
echo $! >"$PID_FILE"

i=0
while ! listening; do
  i=$((i + 1))
  if [ "$i" -ge 100 ]; then
    echo "pg-proxy: websockify did not listen on $LISTEN within 10 s; see $LOG_FILE" >&2
    exit 1
  fi
  sleep 0.1
done
echo "pg-proxy: websockify $LISTEN -> $TARGET (pid $(cat "$PID_FILE"), log $LOG_FILE)"
