#!/usr/bin/env bash
# Profiles one LoadDriver run where it matters: async-profiler is attached to the producer JVM and
# to every worker JVM only while the first many-sender round of the run is measured (after the
# single-sender round), so warm-up, JIT and the latency phases stay out of the samples. If `perf`
# is installed, it also counts context switches and system calls per thread of the producer, the
# workers, redis-server and beam.smp for PERF_SECONDS of that round.
#
#   benchmarks/profile.sh --broker=rabbit --producers=128 --tasks=40000
#   benchmarks/profile.sh --broker=redis --producers=32 --tasks=60000
#   ASYNC_PROFILER=/path/to/libasyncProfiler.so EVENT=itimer benchmarks/profile.sh --broker=redis
#
# The arguments go to LoadDriver (defaults below: one worker, prefetch 16, 40,000 tasks). Make the
# round last several seconds (--tasks, not equal to --warmup), so that attaching (a jcmd per JVM) is
# a small part of it.
# Writes benchmarks/results/profile-<time>/: the driver's JSON and log, one collapsed-stack file
# per JVM (load them into any flame graph viewer), perf.txt, and summary.txt (CPU samples by thread
# and by kind of work). Without ASYNC_PROFILER, async-profiler 4.1 for linux-x64 is fetched from
# Maven Central into benchmarks/target/async-profiler once.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA="${JAVA:-java}"
JCMD="${JCMD:-$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd}"
EVENT="${EVENT:-cpu}"
INTERVAL="${INTERVAL:-500000}"
PERF_SECONDS="${PERF_SECONDS:-3}"
OUT="benchmarks/results/profile-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

lib="${ASYNC_PROFILER:-}"
if [ -z "$lib" ]; then
  dir=benchmarks/target/async-profiler
  lib="$dir/linux-x64/libasyncProfiler.so"
  if [ ! -f "$lib" ]; then
    mkdir -p "$dir"
    curl -sSfL -o "$dir/async-profiler.jar" \
        https://repo.maven.apache.org/maven2/tools/profiler/async-profiler/4.1/async-profiler-4.1-linux-x64.jar
    (cd "$dir" && unzip -q -o async-profiler.jar 'linux-x64/*')
  fi
fi
lib="$(readlink -f "$lib")"

./mvnw -q -B package -DskipTests -pl benchmarks -am
"$JAVA" -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.taskqueue.benchmarks.LoadDriver \
    --workers=1 --prefetch=16 --tasks=40000 --latency=20 --enqueue=100 --countdown=10 "$@" \
    > "$OUT/driver.json" 2> "$OUT/driver.log" &
driver=$!

# The driver logs each round when it ends: warm-up rounds of --warmup tasks, then the measured ones of
# --tasks tasks (the single-sender round, then one per --producers count).
tasks=$(printf '%s\n' "$@" | sed -n 's/^--tasks=//p' | tail -1)
measured="^\[driver\] ${tasks:-40000} tasks end to end from"
wait_for() {
  until grep -q "$1" "$OUT/driver.log" 2>/dev/null; do
    kill -0 "$driver" 2>/dev/null || { echo "the driver ended first; see $OUT/driver.log" >&2; exit 1; }
    sleep 0.05
  done
}
wait_for "$measured 1 producer"
# The driver's child processes are its worker JVMs.
jvms=("producer:$driver")
for pid in $(pgrep -P "$driver" || true); do
  jvms+=("worker-$pid:$pid")
done
agent() { "$JCMD" "$1" JVMTI.agent_load "$lib" "\"$2\"" > /dev/null; }   # the inner quotes keep jcmd from splitting on '='
for jvm in "${jvms[@]}"; do
  agent "${jvm#*:}" "start,event=$EVENT,interval=$INTERVAL,threads"
done
if command -v perf > /dev/null; then
  processes=("${jvms[@]}" "redis:$(pgrep -x redis-server | head -1)")
  beam=$(pgrep -f beam.smp | head -1 || true)
  [ -n "$beam" ] && processes+=("rabbitmq:$beam")
  pids=$(printf '%s,' "${processes[@]#*:}")
  perf stat -e context-switches,raw_syscalls:sys_enter --per-thread -p "${pids%,}" -o "$OUT/perf.txt" \
      -- sleep "$PERF_SECONDS" 2> /dev/null &
  # Which process each thread belongs to, since perf names threads only (cut to 15 characters).
  for process in "${processes[@]}"; do
    for task in /proc/"${process#*:}"/task/*; do echo "${process%%:*} ${task##*/}"; done
  done > "$OUT/threads.txt" 2> /dev/null || true
fi
until [ "$(grep -c "$measured" "$OUT/driver.log")" -ge 2 ]; do
  kill -0 "$driver" 2>/dev/null || break
  sleep 0.05
done
for jvm in "${jvms[@]}"; do
  agent "${jvm#*:}" "stop,file=$(readlink -f "$OUT")/${jvm%%:*}.collapsed,collapsed"
done
wait
grep "$measured" "$OUT/driver.log" | sed -n 2p
PERF_SECONDS="$PERF_SECONDS" /usr/bin/python3 benchmarks/profile_summary.py "$OUT" | tee "$OUT/summary.txt"
