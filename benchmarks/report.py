#!/usr/bin/env python3
"""Prints the figures of one benchmarks/run.sh run as a table, with ratios against the baselines
measured in the same run. Usage: report.py benchmarks/results/<time>"""
import json
import os
import sys


def load(directory, name):
    """One run's figures, or the median of each figure over the repetitions (r1, r2...) of a run."""
    reps = sorted(d for d in os.listdir(directory) if d.startswith("r") and d[1:].isdigit())
    if not reps or os.path.exists(os.path.join(directory, name)):
        return load_one(directory, name)
    return median_of([load_one(os.path.join(directory, rep), name) for rep in reps])


def median_of(runs):
    runs = [run for run in runs if run]
    if not runs:
        return {}
    merged = {}
    for key, first in runs[0].items():
        values = [run.get(key) for run in runs if run.get(key) is not None]
        if isinstance(first, (int, float)) and not isinstance(first, bool):
            values = sorted(v for v in values if isinstance(v, (int, float)))
            merged[key] = values[len(values) // 2] if len(values) % 2 else (values[len(values) // 2 - 1]
                                                                             + values[len(values) // 2]) / 2
        elif isinstance(first, dict):
            merged[key] = median_of([v for v in values if isinstance(v, dict)])
        else:
            merged[key] = first
    return merged


def load_one(directory, name):
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        text = handle.read().strip()
    if not text:
        return {}
    try:
        return json.loads(text)
    except ValueError:
        return json.loads(text.splitlines()[-1])


def normalize_celery(data):
    """Flattens bench_celery.py's output into the load driver's figure names."""
    flat = {}
    for run in data.get("enqueue") or []:
        flat["enqueue_%d_threads_per_s" % run["threads"]] = run.get("per_sec")
    flat["e2e_tasks_per_s"] = (data.get("throughput") or {}).get("tasks_per_sec")
    latency = data.get("latency") or {}
    for key, name in (("send_to_start_ms", "latency_send_to_start"), ("send_to_result_ms", "latency_round_trip")):
        for p in ("p50", "p99"):
            flat["%s_%s_ms" % (name, p)] = (latency.get(key) or {}).get(p)
    for p in ("p50", "p99"):
        flat["countdown_due_to_start_%s_ms" % p] = ((data.get("countdown") or {}).get("due_to_start_ms") or {}).get(p)
    return flat


def redis_ops(data, mode, test):
    for container in (data, data.get("modes") or {}, data.get("results") or {}):
        if mode in container and test in container[mode]:
            return container[mode][test].get("ops_per_sec")
    return None


def figure(data, *keys):
    for key in keys:
        if key in data and data[key] is not None:
            return data[key]
    return None


def sender_counts(data):
    """The sending-thread counts of a load driver's multi-sender end-to-end runs, in order."""
    counts = [key[len("e2e_"):-len("_producers_tasks_per_s")] for key in data
              if key.startswith("e2e_") and key.endswith("_producers_tasks_per_s")]
    return sorted(int(count) for count in counts if count.isdigit())


def ratio(value, baseline, higher_is_better=True):
    if not value or not baseline:
        return "n/a"
    return "%.1fx" % ((value / baseline) if higher_is_better else (baseline / value))


OURS = ("redis-1", "redis-2", "rabbit-1", "rabbit-1-empty", "rabbit-1-v2", "rabbit-1-async",
        "rabbit-1-async-transient", "redis-1-tracked")
# RabbitCeiling's shapes in run.sh: publishers x confirm window
CEILINGS = (("64x1", "64 publishers", "each confirmed"), ("1x256", "1 publisher", "confirmed per 256"))


def main(directory):
    celery = {name: normalize_celery(load(directory, "celery-%s.json" % name))
              for name in ("redis-threads", "redis-prefork", "rabbit-prefork", "rabbit-prefork-transient")}
    ours = {name: load(directory, "taskqueue-%s.json" % name)
            for name in OURS}
    redis = load(directory, "redis-benchmark.json")

    def celery_figure(key_names, best=max, brokers=("redis-threads", "redis-prefork")):
        values = [figure(celery[b], *key_names) for b in brokers]
        values = [v for v in values if v]
        return best(values) if values else None

    rows = []
    throughput_keys = ("e2e_tasks_per_s", "throughput_tasks_per_s")
    best_celery_redis = celery_figure(throughput_keys)
    celery_rabbit = celery_figure(throughput_keys, brokers=("rabbit-prefork",))
    celery_rabbit_transient = celery_figure(throughput_keys, brokers=("rabbit-prefork-transient",))
    for name, label in (("redis-1", "Redis, 1 worker"), ("redis-2", "Redis, 2 workers")):
        value = figure(ours[name], "e2e_tasks_per_s")
        rows.append(("end-to-end tasks/s, " + label, value, "Celery best on Redis", best_celery_redis,
                     ratio(value, best_celery_redis)))
    for name, label in (("redis-1", "Redis, 1 worker"), ("redis-2", "Redis, 2 workers"),
                        ("redis-1-tracked", "Redis, 1 worker, STARTED recorded")):
        for senders in sender_counts(ours[name]):
            value = figure(ours[name], "e2e_%d_producers_tasks_per_s" % senders)
            rows.append(("%s, %d senders" % (label, senders), value, "Celery best on Redis (1 sender)",
                         best_celery_redis, ratio(value, best_celery_redis)))
    value = figure(ours["redis-1"], "drain_tasks_per_s")
    rows.append(("queued tasks drained, Redis, 1 worker", value, "Celery best on Redis", best_celery_redis,
                 ratio(value, best_celery_redis)))
    transient = ("Celery on RabbitMQ, transient", celery_rabbit_transient)
    for name, label, (baseline_label, baseline) in (
            ("rabbit-1", "RabbitMQ", ("Celery on RabbitMQ", celery_rabbit)),
            ("rabbit-1-empty", "RabbitMQ, empty headers sent", ("Celery on RabbitMQ", celery_rabbit)),
            ("rabbit-1-v2", "RabbitMQ queue v2", ("Celery on RabbitMQ", celery_rabbit)),
            ("rabbit-1-async", "RabbitMQ sendAsync", ("Celery on RabbitMQ", celery_rabbit)),
            ("rabbit-1-async-transient", "RabbitMQ sendAsync, transient", transient)):
        value = figure(ours[name], "e2e_tasks_per_s")
        rows.append(("end-to-end tasks/s, %s, 1 worker" % label, value, baseline_label, baseline,
                     ratio(value, baseline)))
        for senders in sender_counts(ours[name]):
            value = figure(ours[name], "e2e_%d_producers_tasks_per_s" % senders)
            rows.append(("%s, %d senders" % (label, senders), value, baseline_label + " (1 sender)",
                         baseline, ratio(value, baseline)))
    ceilings = {name: load(directory, "rabbit-ceiling-%s.json" % name) for name, _, _ in CEILINGS}
    for name, publishers, confirms in CEILINGS:
        for mode in ("confirmed", "unconfirmed"):
            value = figure(ceilings[name], "%s_messages_per_s" % mode)
            what = "%s, %s" % (confirms if mode == "confirmed" else "no confirms", publishers)
            rows.append(("RabbitMQ alone msgs/s, %s" % what, value, "Celery on RabbitMQ", celery_rabbit,
                         ratio(value, celery_rabbit)))
    for threads in (1, 8):
        key = "enqueue_%d_threads_per_s" % threads
        value = figure(ours["redis-1"], key)
        base = celery_figure((key,))
        rows.append(("enqueue tasks/s, %d thread(s)" % threads, value, "Celery", base, ratio(value, base)))
    raw = redis_ops(redis, "c1", "LPUSH")
    value = figure(ours["redis-1"], "enqueue_1_threads_per_s")
    rows.append(("enqueue tasks/s, 1 thread", value, "raw LPUSH, 1 connection", raw, ratio(value, raw)))
    for key, label in (("latency_round_trip_p50_ms", "round trip p50 ms"),
                       ("latency_round_trip_p99_ms", "round trip p99 ms"),
                       ("latency_send_to_start_p50_ms", "send to start p50 ms")):
        value = figure(ours["redis-1"], key)
        base = celery_figure((key,), best=min)
        rows.append((label, value, "Celery best", base, ratio(value, base, higher_is_better=False)))
    for name, label, brokers, baseline in (("redis-1", "Redis", ("redis-threads", "redis-prefork"), "Celery best"),
                                           ("rabbit-1", "RabbitMQ", ("rabbit-prefork",), "Celery on RabbitMQ")):
        for p in ("p50", "p99"):
            key = "countdown_due_to_start_%s_ms" % p
            value = figure(ours[name], key)
            base = celery_figure((key,), best=min, brokers=brokers)
            rows.append(("countdown due to start %s ms, %s" % (p, label), value, baseline, base,
                         ratio(value, base, higher_is_better=False)))

    line = "%-58s %10s   %-32s %10s   %s"
    print(line % ("figure", "taskqueue", "baseline", "baseline", "ratio"))
    for row in rows:
        print(line % tuple("-" if v is None else round(v, 2) if isinstance(v, float) else v for v in row))
    for name in OURS:
        keys = ["e2e_cpu_us_per_task", "drain_cpu_us_per_task"]
        keys[1:1] = ["e2e_%d_producers_cpu_us_per_task" % senders for senders in sender_counts(ours[name])]
        for key in keys:
            cpu = figure(ours[name], key)
            if cpu:
                print("CPU us per task, %s, %s: %s" % (name, key.replace("_cpu_us_per_task", ""), cpu))
    for name, _, _ in CEILINGS:
        for mode in ("confirmed", "unconfirmed"):
            cpu = figure(ceilings[name], "%s_cpu_us_per_message" % mode)
            if cpu:
                print("CPU us per message, RabbitMQ alone, %s, %s: %s" % (name, mode, cpu))
    writes = load(directory, "rabbit-writes.json")
    if writes.get("combined") and writes.get("plain"):
        combined, plain = writes["combined"], writes["plain"]
        pairs = list(zip(writes.get("combined_rounds", []), writes.get("plain_rounds", [])))
        print("RabbitMQ publishAll, %s threads, batches of %s, combined / plain socket writes: %s / %s messages/s"
              " (%.2fx, combined faster in %d of %d pairs); CPU us per message, client %s / %s, RabbitMQ %s / %s"
              % (writes["publishers"], writes["window"], combined["messages_per_s"], plain["messages_per_s"],
                 combined["messages_per_s"] / plain["messages_per_s"],
                 sum(1 for c, p in pairs if c["messages_per_s"] > p["messages_per_s"]), len(pairs),
                 combined["client"], plain["client"], combined["rabbitmq"], plain["rabbitmq"]))
    memory = figure(ours["redis-1"], "worker_memory_after_run")
    if memory:
        print("worker after the run (Redis, 1 worker): %s" % memory)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else sorted(
        os.path.join("benchmarks/results", d) for d in os.listdir("benchmarks/results"))[-1])
