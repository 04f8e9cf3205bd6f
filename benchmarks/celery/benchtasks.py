"""Celery app used as the Python baseline for the taskqueue benchmarks.

Configuration comes from environment variables so that the driver
(bench_celery.py) and the worker subprocess it starts agree:

  BENCH_BROKER    broker URL          (default redis://127.0.0.1:6379/0)
  BENCH_BACKEND   result backend URL  (default redis://127.0.0.1:6379/0)
  BENCH_QUEUE     default queue name  (default bench-celery)
  BENCH_PREFETCH  worker_prefetch_multiplier (default 4)
  BENCH_DELIVERY_MODE  task_default_delivery_mode: persistent (default) or transient
"""
import os
import time

from celery import Celery

BROKER_URL = os.environ.get("BENCH_BROKER", "redis://127.0.0.1:6379/0")
BACKEND_URL = os.environ.get("BENCH_BACKEND", "redis://127.0.0.1:6379/0")
QUEUE = os.environ.get("BENCH_QUEUE", "bench-celery")
PREFETCH = int(os.environ.get("BENCH_PREFETCH", "4"))
DELIVERY_MODE = os.environ.get("BENCH_DELIVERY_MODE", "persistent")

app = Celery("benchtasks", broker=BROKER_URL, backend=BACKEND_URL)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    result_accept_content=["json"],
    task_default_queue=QUEUE,
    worker_prefetch_multiplier=PREFETCH,
    task_default_delivery_mode=DELIVERY_MODE,
    # No monitoring events: keep the message traffic to tasks and results.
    worker_send_task_events=False,
    task_send_sent_event=False,
    # Keep Redis tidy if the driver dies before it deletes its result keys.
    result_expires=3600,
    worker_hijack_root_logger=False,
)


@app.task(name="bench.echo")
def echo(x):
    return x


@app.task(name="bench.stamp")
def stamp(sent_at):
    # Wall-clock time at which the task body started, in seconds (float),
    # comparable with the caller's time.time() on the same machine.
    return [sent_at, time.time()]
