#!/usr/bin/env bash
# Runs every benchmark of benchmarks/README.md on this machine, one after the other (never two at
# once: they share the cores), writes the JSON of each into benchmarks/results/<time>/ and prints a
# table of ratios against the baselines measured in the same run.
#
#   benchmarks/run.sh            # the full run (20,000 tasks per end-to-end figure), ~14 minutes
#   REPEAT=3 benchmarks/run.sh   # the same three times, interleaved; the report shows medians
#   TASKS=2000 benchmarks/run.sh # a quicker, noisier run
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java benchmarks/run.sh   # producer and workers on that JVM
#   PRODUCERS=8 PREFETCH=4 benchmarks/run.sh   # taskqueue's sending threads and worker prefetch multiplier
#   RABBIT_PRODUCERS=64 benchmarks/run.sh       # the sending threads of the RabbitMQ runs (default 64,128)
#   JAVA=.../temurin-25-jdk-amd64/bin/java VIRTUAL_SENDERS=true benchmarks/run.sh   # senders on virtual threads
set -euo pipefail
cd "$(dirname "$0")/.."

TASKS="${TASKS:-20000}"
LATENCY="${LATENCY:-500}"
ENQUEUE="${ENQUEUE:-5000}"
REPEAT="${REPEAT:-1}"
PY=/usr/bin/python3
JAVA="${JAVA:-java}"
# taskqueue's end-to-end runs: from 1 sending thread, then from each of these counts; and the worker's
# prefetch multiplier (Celery's best stays at its default of 4: 16 made it no faster; see the README)
PRODUCERS="${PRODUCERS:-8,32}"
# RabbitMQ holds each publish until it confirms it (10-20 ms under load), so it needs more senders
# to keep as many messages in flight (a servlet container serves up to 200 requests at once)
RABBIT_PRODUCERS="${RABBIT_PRODUCERS:-64,128}"
# threads that send with sendAsync (which returns before the broker has the message) in the RabbitMQ run that does
ASYNC_PRODUCERS="${ASYNC_PRODUCERS:-8}"
VIRTUAL_SENDERS="${VIRTUAL_SENDERS:-false}"
PREFETCH="${PREFETCH:-16}"
OUT="benchmarks/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

./mvnw -q -B package -DskipTests -pl benchmarks -am
CP="benchmarks/target/classes:benchmarks/target/lib/*"

step() { echo "[run] $*" >&2; }
# taskqueue on RabbitMQ with one worker process: rabbit NAME [LoadDriver arguments], written to taskqueue-NAME.json
rabbit() {
  local name=$1; shift
  "$JAVA" -cp "$CP" io.taskqueue.benchmarks.LoadDriver --broker=rabbit --workers=1 --tasks="$TASKS" \
      --latency="$LATENCY" --enqueue="$ENQUEUE" --prefetch="$PREFETCH" "$@" > "$RUN/taskqueue-$name.json"
}

step "raw Redis (redis-benchmark)"
bash benchmarks/celery/redis_baseline.sh > "$OUT/redis-benchmark.json" || echo '{}' > "$OUT/redis-benchmark.json"

for rep in $(seq 1 "$REPEAT"); do
  RUN="$OUT/r$rep"
  mkdir -p "$RUN"
  step "repetition $rep of $REPEAT"
  for pool in threads prefork; do
    concurrency=8; [ "$pool" = prefork ] && concurrency=2
    step "Celery, Redis broker, $pool pool x$concurrency"
    (cd benchmarks/celery && $PY bench_celery.py --pool "$pool" --concurrency "$concurrency" \
        --tasks "$TASKS" --latency "$LATENCY" --enqueue "$ENQUEUE") > "$RUN/celery-redis-$pool.json"
  done
  # Celery's threads pool stalls on RabbitMQ here (see celery/README.md), so prefork is its baseline.
  step "Celery, RabbitMQ broker, prefork pool x2"
  (cd benchmarks/celery && BENCH_BROKER=amqp://guest:guest@127.0.0.1:5672// $PY bench_celery.py --pool prefork \
      --concurrency 2 --tasks "$TASKS" --latency "$LATENCY" --enqueue "$ENQUEUE") > "$RUN/celery-rabbit-prefork.json"
  step "Celery, RabbitMQ broker, prefork pool x2, transient messages"
  (cd benchmarks/celery && BENCH_BROKER=amqp://guest:guest@127.0.0.1:5672// $PY bench_celery.py --pool prefork \
      --concurrency 2 --tasks "$TASKS" --latency 0 --enqueue 0 --countdown 0 --delivery-mode transient) \
      > "$RUN/celery-rabbit-prefork-transient.json"

  for workers in 1 2; do
    step "taskqueue, Redis broker, $workers worker process(es)"
    "$JAVA" -cp "$CP" io.taskqueue.benchmarks.LoadDriver --broker=redis --workers="$workers" --tasks="$TASKS" \
        --latency="$LATENCY" --enqueue="$ENQUEUE" --producers="$PRODUCERS" --prefetch="$PREFETCH" --virtual-senders="$VIRTUAL_SENDERS" > "$RUN/taskqueue-redis-$workers.json"
  done
  step "taskqueue, Redis broker, 1 worker process, tasks that also record STARTED"
  "$JAVA" -cp "$CP" io.taskqueue.benchmarks.LoadDriver --broker=redis --workers=1 --tasks="$TASKS" --task=bench.echo.tracked \
      --latency=10 --enqueue=100 --countdown=5 --producers="$PRODUCERS" --prefetch="$PREFETCH" --virtual-senders="$VIRTUAL_SENDERS" > "$RUN/taskqueue-redis-1-tracked.json"
  step "taskqueue, RabbitMQ broker, 1 worker process"
  rabbit rabbit-1 --producers="$RABBIT_PRODUCERS" --virtual-senders="$VIRTUAL_SENDERS"
  step "taskqueue, RabbitMQ broker, 1 worker process, messages with the empty headers Celery sends"
  rabbit rabbit-1-empty --empty-headers=true --producers="$RABBIT_PRODUCERS" --virtual-senders="$VIRTUAL_SENDERS"
  step "taskqueue, RabbitMQ broker, 1 worker process, classic queues version 2"
  rabbit rabbit-1-v2 --queue-version=2 --producers="$RABBIT_PRODUCERS" --virtual-senders="$VIRTUAL_SENDERS"
  step "taskqueue, RabbitMQ broker, 1 worker process, sendAsync from 1 and 8 threads"
  rabbit rabbit-1-async --async-sends=true --producers="$ASYNC_PRODUCERS" --warmup=20000
  step "taskqueue, RabbitMQ broker, 1 worker process, sendAsync, transient messages"
  rabbit rabbit-1-async-transient --async-sends=true --producers="$ASYNC_PRODUCERS" --warmup=20000 \
      --delivery-mode=transient --latency=0 --enqueue=0 --countdown=0
  step "RabbitMQ alone (plain client): a confirm per message from 64 publishers, and confirms per 256 from one"
  "$JAVA" -cp "$CP" io.taskqueue.benchmarks.RabbitCeiling --messages="$TASKS" --publishers=64 --window=1 \
      > "$RUN/rabbit-ceiling-64x1.json"
  "$JAVA" -cp "$CP" io.taskqueue.benchmarks.RabbitCeiling --messages="$TASKS" --publishers=1 --window=256 \
      > "$RUN/rabbit-ceiling-1x256.json"
done

step "taskqueue's RabbitMQ publishes in batches of 64, with combined socket writes and without"
"$JAVA" -cp "$CP" io.taskqueue.benchmarks.RabbitPublishWrites --messages="$((TASKS * 2))" --publishers=2 --window=64 \
    --rounds=5 > "$OUT/rabbit-writes.json"

step "JMH: codec, with allocation per operation"
"$JAVA" -cp "$CP" org.openjdk.jmh.Main CodecBenchmarks -prof gc -rf json -rff "$OUT/jmh-codec.json" >&2

$PY benchmarks/report.py "$OUT" | tee "$OUT/report.txt"
