#!/usr/bin/env bash
# Raw Redis ceiling for queue-style traffic: LPUSH (enqueue) and RPOP
# (dequeue) measured by redis-benchmark in three modes:
#   c1      one connection, one request in flight (unpipelined)
#   c50     50 connections, one request in flight each
#   c1_P50  one connection, 50 requests pipelined
# Prints one JSON object on stdout; progress goes to stderr.
#
# Environment: REDIS_HOST (127.0.0.1), REDIS_PORT (6379), REQUESTS (200000)
set -euo pipefail

HOST="${REDIS_HOST:-127.0.0.1}"
PORT="${REDIS_PORT:-6379}"
REQUESTS="${REQUESTS:-200000}"
# redis-benchmark's LPUSH/RPOP tests always use the key "mylist" (db 0).
KEY="mylist"

if ! command -v redis-benchmark >/dev/null 2>&1; then
    echo "redis_baseline.sh: redis-benchmark not found." >&2
    echo "Install it with: apt-get install redis-tools (Debian/Ubuntu)" >&2
    exit 2
fi
if ! command -v redis-cli >/dev/null 2>&1; then
    echo "redis_baseline.sh: redis-cli not found (also in redis-tools)." >&2
    exit 2
fi
if [ "$(redis-cli -h "$HOST" -p "$PORT" ping 2>/dev/null)" != "PONG" ]; then
    echo "redis_baseline.sh: no Redis answering at $HOST:$PORT" >&2
    exit 1
fi
# Do not run over somebody else's data: the benchmark pushes to and pops
# from "$KEY", and this script deletes it afterwards.
if [ "$(redis-cli -h "$HOST" -p "$PORT" exists "$KEY")" != "0" ]; then
    echo "redis_baseline.sh: key '$KEY' already exists in db 0 of $HOST:$PORT;" \
         "refusing to run (redis-benchmark would modify it)." >&2
    exit 1
fi
trap 'redis-cli -h "$HOST" -p "$PORT" del "$KEY" >/dev/null 2>&1 || true' EXIT

version="$(redis-benchmark --version 2>/dev/null | awk '{print $2}')"
server="$(redis-cli -h "$HOST" -p "$PORT" info server | tr -d '\r' \
          | awk -F: '$1=="redis_version"{print $2}')"

# run MODE ARGS... -> prints  "MODE": {"LPUSH": {...}, "RPOP": {...}}
run() {
    local mode="$1"; shift
    echo "redis_baseline.sh: $mode ($*) ..." >&2
    local csv
    csv="$(redis-benchmark -h "$HOST" -p "$PORT" -q --csv -t lpush,rpop \
           -n "$REQUESTS" "$@")"
    # CSV columns: test, rps, avg, min, p50, p95, p99, max (latencies in ms)
    printf '%s\n' "$csv" | tr -d '"\r' | awk -F, -v mode="$mode" '
        $1 == "test" { next }
        NF >= 8 {
            out = out (n++ ? ", " : "") sprintf("\"%s\": {\"ops_per_sec\": %s, " \
                "\"avg_ms\": %s, \"p50_ms\": %s, \"p99_ms\": %s, \"max_ms\": %s}",
                $1, $2, $3, $5, $7, $8)
        }
        END {
            if (n < 2) exit 1
            printf "    \"%s\": {%s}", mode, out
        }'
}

c1="$(run c1 -c 1)"
c50="$(run c50 -c 50)"
p50="$(run c1_P50 -c 1 -P 50)"

cat <<EOF
{
  "benchmark": "redis-baseline",
  "host": "$HOST:$PORT",
  "redis_server": "$server",
  "redis_benchmark": "$version",
  "requests": $REQUESTS,
  "cpus": $(nproc),
  "results": {
$c1,
$c50,
$p50
  }
}
EOF
