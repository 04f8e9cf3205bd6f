#!/usr/bin/python3
"""Python Celery baseline for the taskqueue benchmarks.

Phases (each can be skipped by passing 0):
  1. enqueue    - send rate of bench.echo with no worker consuming
                  (1 thread, then N threads), into a throwaway queue.
  2. throughput - --tasks bench.echo sends as fast as possible, then wait
                  for every result; tasks/s from first send to last result.
  3. latency    - --latency sequential bench.stamp calls on the idle worker:
                  send->task start and send->result in hand, in ms.
  4. countdown  - --countdown bench.stamp calls sent at once with etas 1 s
                  ahead and 10 ms apart: due time->task start, in ms.

Progress goes to stderr; one JSON object goes to stdout.
Run with /usr/bin/python3 (the interpreter that has Celery installed).
"""
import argparse
import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))


def log(msg):
    print("[bench_celery %s] %s" % (time.strftime("%H:%M:%S"), msg),
          file=sys.stderr, flush=True)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pool", choices=["prefork", "threads", "solo"], default="prefork",
                   help="worker pool (default prefork)")
    p.add_argument("--concurrency", "-c", type=int, default=2,
                   help="worker concurrency (default 2)")
    p.add_argument("--prefetch", type=int, default=None,
                   help="worker_prefetch_multiplier (default: $BENCH_PREFETCH or 4)")
    p.add_argument("--delivery-mode", choices=["persistent", "transient"], default=None,
                   help="task_default_delivery_mode (default: $BENCH_DELIVERY_MODE or persistent)")
    p.add_argument("--tasks", type=int, default=20000,
                   help="end-to-end throughput tasks (default 20000, 0 = skip)")
    p.add_argument("--latency", type=int, default=500,
                   help="sequential latency samples (default 500, 0 = skip)")
    p.add_argument("--latency-warmup", type=int, default=20,
                   help="unrecorded latency round trips before sampling (default 20)")
    p.add_argument("--countdown", type=int, default=100,
                   help="tasks with an eta, for due->start lateness (default 100, 0 = skip)")
    p.add_argument("--enqueue", type=int, default=5000,
                   help="sends per enqueue-rate run (default 5000, 0 = skip)")
    p.add_argument("--enqueue-threads", default="1,8",
                   help="comma-separated sender thread counts (default 1,8)")
    p.add_argument("--warmup", type=int, default=200,
                   help="unmeasured echo round trips before the throughput run (default 200)")
    p.add_argument("--join", choices=["native", "sequential"], default="native",
                   help="how to wait for throughput results: ResultSet.join_native "
                        "(bulk, default) or ResultSet.join (one get() per result)")
    p.add_argument("--queue", default=None,
                   help="queue name (default: $BENCH_QUEUE-<random> or bench-celery-<random>)")
    p.add_argument("--timeout", type=float, default=600.0,
                   help="timeout in s for the throughput wait (default 600)")
    p.add_argument("--task-timeout", type=float, default=30.0,
                   help="timeout in s for a single result (latency phase) (default 30)")
    p.add_argument("--startup-timeout", type=float, default=60.0,
                   help="timeout in s for the worker to answer its first task (default 60)")
    p.add_argument("--python", default="/usr/bin/python3",
                   help="interpreter for the worker subprocess (default /usr/bin/python3)")
    p.add_argument("--keep-results", action="store_true",
                   help="do not delete the celery-task-meta-* keys created by this run")
    args = p.parse_args(argv)
    try:
        args.enqueue_threads = [int(x) for x in args.enqueue_threads.split(",") if x.strip()]
    except ValueError:
        p.error("--enqueue-threads must be a comma-separated list of integers")
    if any(t < 1 for t in args.enqueue_threads):
        p.error("--enqueue-threads values must be >= 1")
    if args.concurrency < 1:
        p.error("--concurrency must be >= 1")
    return args


class WorkerDied(RuntimeError):
    pass


def percentiles(samples):
    """Nearest-rank percentiles of a list of numbers (ms)."""
    if not samples:
        return None
    s = sorted(samples)
    n = len(s)

    def rank(q):
        k = max(1, int(-(-q * n // 100)))  # ceil(q/100 * n)
        return round(s[min(k, n) - 1], 3)

    return {
        "p50": rank(50), "p90": rank(90), "p99": rank(99),
        "min": round(s[0], 3), "max": round(s[-1], 3),
        "mean": round(sum(s) / n, 3),
    }


def rate(count, seconds):
    return round(count / seconds, 1) if seconds > 0 else None


class Bench:
    def __init__(self, args):
        self.args = args
        base = os.environ.get("BENCH_QUEUE", "bench-celery")
        self.queue = args.queue or "%s-%s" % (base, uuid.uuid4().hex[:8])
        self.enqueue_queue = self.queue + "-enqueue"
        # benchtasks reads its configuration from the environment at import
        # time; the worker subprocess inherits the same environment.
        os.environ["BENCH_QUEUE"] = self.queue
        if args.prefetch is not None:
            os.environ["BENCH_PREFETCH"] = str(args.prefetch)
        if args.delivery_mode is not None:
            os.environ["BENCH_DELIVERY_MODE"] = args.delivery_mode
        sys.path.insert(0, HERE)
        import benchtasks  # noqa: E402
        self.mod = benchtasks
        self.app = benchtasks.app
        self.proc = None
        self.stop_seconds = None
        self.task_ids = []          # every task that may have stored a result
        self.created_queues = []    # queues to delete at the end

    # ---------------------------------------------------------------- broker
    def _bound_queue(self, conn, name):
        # app.amqp.queues creates the same Queue/Exchange declaration Celery
        # uses when it routes to a missing queue (direct exchange, durable).
        return self.app.amqp.queues[name](conn.default_channel)

    def declare_and_purge(self, name):
        with self.app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=3)
            q = self._bound_queue(conn, name)
            q.declare()
            if name not in self.created_queues:
                self.created_queues.append(name)
            return q.purge() or 0

    def queue_length(self, name):
        with self.app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=3)
            ok = conn.default_channel.queue_declare(queue=name, passive=True)
            return ok.message_count

    def delete_queue(self, name):
        with self.app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=3)
            q = self._bound_queue(conn, name)
            # Declare first: kombu's virtual transports (Redis) only remove
            # the bindings this connection knows about.
            q.declare()
            q.purge()
            q.delete()
            try:
                q.exchange.delete()
            except Exception as exc:  # exchange may be gone / shared
                log("exchange %s not deleted: %r" % (q.exchange.name, exc))

    # ---------------------------------------------------------------- worker
    def start_worker(self):
        a = self.args
        cmd = [a.python, "-m", "celery", "-A", "benchtasks", "worker",
               "-Q", self.queue, "-P", a.pool, "-c", str(a.concurrency),
               "--without-heartbeat", "--without-gossip", "--without-mingle",
               "-l", "warning", "-n", "%s@%%h" % self.queue]
        log("starting worker: %s" % " ".join(cmd))
        # Own session/process group so prefork children can be cleaned up by
        # the group id if the main worker process does not take them down.
        self.proc = subprocess.Popen(cmd, cwd=HERE, env=dict(os.environ),
                                     stdin=subprocess.DEVNULL,
                                     stdout=sys.stderr, stderr=sys.stderr,
                                     start_new_session=True)

    def check_worker(self):
        if self.proc is not None and self.proc.poll() is not None:
            raise WorkerDied("worker exited with code %s" % self.proc.returncode)

    def wait_worker_ready(self):
        t0 = time.perf_counter()
        r = self.mod.echo.apply_async(("ready",))
        self.task_ids.append(r.id)
        v = r.get(timeout=self.args.startup_timeout, interval=0.2,
                  on_interval=self.check_worker)
        if v != "ready":
            raise RuntimeError("unexpected readiness reply %r" % (v,))
        dt = time.perf_counter() - t0
        log("worker answered after %.2f s" % dt)
        return dt

    def stop_worker(self):
        proc = self.proc
        if proc is None:
            return None
        self.proc = None
        t0 = time.perf_counter()
        if proc.poll() is None:
            log("stopping worker (SIGTERM)")
            try:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                log("worker did not stop in 30 s, SIGKILL")
                proc.kill()
                proc.wait(timeout=10)
        # Any pool child left in the worker's own process group?
        try:
            os.killpg(proc.pid, 0)
        except (ProcessLookupError, PermissionError):
            pass
        else:
            log("killing leftover processes of worker group %d" % proc.pid)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.stop_seconds = time.perf_counter() - t0
        return proc.returncode

    # ---------------------------------------------------------------- phases
    def run_enqueue(self, n, threads):
        """n sends spread over `threads` threads into the throwaway queue."""
        echo = self.mod.echo
        q = self.enqueue_queue
        counts = [n // threads + (1 if i < n % threads else 0) for i in range(threads)]
        barrier = threading.Barrier(threads + 1, timeout=60)
        errors = []

        def sender(k):
            try:
                # Warm-up: open this thread's producer connection and its
                # (thread-local) result backend before the clock starts.
                echo.apply_async((-1,), queue=q)
                barrier.wait()
                for i in range(k):
                    echo.apply_async((i,), queue=q)
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)
                try:
                    barrier.abort()
                except Exception:
                    pass

        ts = [threading.Thread(target=sender, args=(c,), daemon=True,
                               name="sender-%d" % i) for i, c in enumerate(counts)]
        for t in ts:
            t.start()
        barrier.wait()
        t0 = time.perf_counter()
        deadline = time.monotonic() + self.args.timeout
        for t in ts:
            t.join(max(0.0, deadline - time.monotonic()))
        dt = time.perf_counter() - t0
        if errors:
            raise errors[0]
        if any(t.is_alive() for t in ts):
            raise TimeoutError("enqueue run with %d threads timed out" % threads)

        # Sanity check: every message (plus one warm-up per thread) is queued.
        expected = n + threads
        got = None
        end = time.monotonic() + 15
        while time.monotonic() < end:
            got = self.queue_length(q)
            if got >= expected:
                break
            time.sleep(0.2)
        purged = self.declare_and_purge(q)
        if got != expected:
            raise RuntimeError("enqueue check: expected %d messages in %s, found %s"
                               % (expected, q, got))
        res = {"threads": threads, "sent": n, "seconds": round(dt, 4),
               "per_sec": rate(n, dt), "purged": purged}
        log("enqueue %d threads: %d sends in %.3f s = %s/s"
            % (threads, n, dt, res["per_sec"]))
        return res

    def _echo_batch(self, n):
        """Send n echoes as fast as possible, then wait for all of them."""
        from celery.result import ResultSet
        echo = self.mod.echo
        results = [None] * n
        try:
            t0 = time.perf_counter()
            for i in range(n):
                results[i] = echo.apply_async((i,))
            t_sent = time.perf_counter()
            rs = ResultSet(results, app=self.app)
            waiter = rs.join_native if self.args.join == "native" else rs.join
            values = waiter(timeout=self.args.timeout, propagate=True, interval=0.2,
                            on_interval=self.check_worker)
            t_done = time.perf_counter()
        finally:
            # Remember the ids even when interrupted, for result-key cleanup.
            self.task_ids.extend(r.id for r in results if r is not None)
        if len(values) != n:
            raise RuntimeError("got %d results for %d tasks" % (len(values), n))
        bad = [i for i, v in enumerate(values) if v != i]
        if bad:
            raise RuntimeError("%d wrong results, first: index %d -> %r"
                               % (len(bad), bad[0], values[bad[0]]))
        return t_sent - t0, t_done - t0

    def run_throughput(self, n):
        if self.args.warmup > 0:
            self._echo_batch(self.args.warmup)
            log("warm-up of %d echoes done" % self.args.warmup)
        send_s, total_s = self._echo_batch(n)
        res = {"tasks": n, "send_seconds": round(send_s, 4),
               "send_per_sec": rate(n, send_s),
               "seconds": round(total_s, 4), "tasks_per_sec": rate(n, total_s),
               "join": self.args.join, "all_results_checked": True}
        log("throughput: %d tasks in %.3f s = %s tasks/s (sending alone %s/s)"
            % (n, total_s, res["tasks_per_sec"], res["send_per_sec"]))
        return res

    def run_latency(self, n):
        stamp = self.mod.stamp
        to_start, to_result = [], []
        for i in range(self.args.latency_warmup + n):
            sent = time.time()
            r = stamp.apply_async((sent,))
            self.task_ids.append(r.id)
            v = r.get(timeout=self.args.task_timeout, interval=0.05,
                      on_interval=self.check_worker)
            done = time.time()
            if not (isinstance(v, list) and len(v) == 2 and v[0] == sent):
                raise RuntimeError("unexpected stamp reply %r" % (v,))
            if i >= self.args.latency_warmup:
                to_start.append((v[1] - sent) * 1000.0)
                to_result.append((done - sent) * 1000.0)
        res = {"samples": n, "send_to_start_ms": percentiles(to_start),
               "send_to_result_ms": percentiles(to_result)}
        log("latency: send->start p50 %s ms p99 %s ms; send->result p50 %s ms p99 %s ms"
            % (res["send_to_start_ms"]["p50"], res["send_to_start_ms"]["p99"],
               res["send_to_result_ms"]["p50"], res["send_to_result_ms"]["p99"]))
        return res

    def run_countdown(self, n):
        # As the load driver does: etas 1 s ahead and 10 ms apart, all sent at once.
        stamp = self.mod.stamp
        base = time.time() + 1.0
        sent = []
        for i in range(n):
            due = base + i * 0.010
            r = stamp.apply_async((due,), eta=datetime.datetime.fromtimestamp(due, datetime.timezone.utc))
            self.task_ids.append(r.id)
            sent.append((due, r))
        late = []
        for due, r in sent:
            v = r.get(timeout=self.args.task_timeout, interval=0.05, on_interval=self.check_worker)
            if not (isinstance(v, list) and len(v) == 2 and v[0] == due):
                raise RuntimeError("unexpected stamp reply %r" % (v,))
            late.append((v[1] - due) * 1000.0)
        res = {"samples": n, "due_to_start_ms": percentiles(late)}
        log("countdown: due->start p50 %s ms p99 %s ms"
            % (res["due_to_start_ms"]["p50"], res["due_to_start_ms"]["p99"]))
        return res

    # ---------------------------------------------------------------- cleanup
    def delete_result_keys(self):
        if self.args.keep_results or not self.task_ids:
            return 0
        backend = self.app.backend
        client = getattr(backend, "client", None)
        if client is None or not hasattr(backend, "get_key_for_task"):
            log("result backend is not Redis; leaving %d results to expire"
                % len(self.task_ids))
            return 0
        deleted = 0
        ids = self.task_ids
        for i in range(0, len(ids), 1000):
            keys = [backend.get_key_for_task(t) for t in ids[i:i + 1000]]
            deleted += client.delete(*keys)
        self.task_ids = []
        return deleted

    def cleanup(self):
        try:
            n = self.delete_result_keys()
            log("deleted %d result keys" % n)
        except Exception as exc:
            log("could not delete result keys: %r" % (exc,))
        for name in self.created_queues:
            try:
                self.delete_queue(name)
            except Exception as exc:
                log("could not delete queue %s: %r" % (name, exc))
        self.created_queues = []
        try:
            self.app.close()
        except Exception:
            pass


def versions():
    import celery
    import kombu
    out = {"python": platform.python_version(), "celery": celery.__version__,
           "kombu": kombu.__version__}
    for mod in ("redis", "amqp"):
        try:
            out[mod] = __import__(mod).__version__
        except Exception:
            pass
    return out


def main(argv=None):
    args = parse_args(argv)

    late_signals = []

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    def on_late_signal(signum, frame):
        # While stopping the worker and cleaning up: note it, carry on.
        late_signals.append(signum)

    signal.signal(signal.SIGTERM, on_term)

    bench = Bench(args)
    from kombu.utils.url import maybe_sanitize_url
    out = {
        "benchmark": "celery-baseline",
        "params": {
            "pool": args.pool, "concurrency": args.concurrency,
            "prefetch_multiplier": bench.app.conf.worker_prefetch_multiplier,
            "delivery_mode": bench.app.conf.task_default_delivery_mode,
            "tasks": args.tasks, "latency": args.latency, "countdown": args.countdown,
            "latency_warmup": args.latency_warmup, "warmup": args.warmup,
            "enqueue": args.enqueue, "enqueue_threads": args.enqueue_threads,
            "join": args.join, "queue": bench.queue,
            "broker": maybe_sanitize_url(bench.app.conf.broker_url),
            "backend": maybe_sanitize_url(bench.app.conf.result_backend),
        },
        "versions": versions(),
        "host": {"cpus": os.cpu_count(), "platform": platform.platform()},
    }
    warnings = []
    if args.pool == "threads" and bench.app.conf.broker_url.startswith(("amqp", "pyamqp")):
        warnings.append(
            "threads pool + RabbitMQ (py-amqp): with Celery 5.2 / py-amqp 5.1 "
            "this combination was seen to leave delivered tasks unprocessed until "
            "the next broker heartbeat check (40 s by default), so throughput "
            "figures can collapse; see README")
    for w in warnings:
        log("WARNING: " + w)
    if warnings:
        out["warnings"] = warnings
    status = 0
    try:
        purged = bench.declare_and_purge(bench.queue)
        log("queue %s purged (%d messages)" % (bench.queue, purged))

        if args.enqueue > 0:
            bench.declare_and_purge(bench.enqueue_queue)
            out["enqueue"] = [bench.run_enqueue(args.enqueue, t)
                              for t in args.enqueue_threads]

        if args.tasks > 0 or args.latency > 0 or args.countdown > 0:
            bench.start_worker()
            out["worker_startup_seconds"] = round(bench.wait_worker_ready(), 3)
            if args.tasks > 0:
                out["throughput"] = bench.run_throughput(args.tasks)
            if args.latency > 0:
                out["latency"] = bench.run_latency(args.latency)
            if args.countdown > 0:
                out["countdown"] = bench.run_countdown(args.countdown)
    except BaseException as exc:
        status = 1
        out["error"] = "%s: %s" % (type(exc).__name__, exc)
        log("FAILED: %s" % out["error"])
        if isinstance(exc, SystemExit) and exc.code:
            status = exc.code
    finally:
        # Do not let a second Ctrl-C / SIGTERM interrupt the shutdown: the
        # worker must be stopped before its queue and results are deleted.
        signal.signal(signal.SIGTERM, on_late_signal)
        signal.signal(signal.SIGINT, on_late_signal)
        try:
            rc = bench.stop_worker()
            if rc is not None:
                out["worker_exit_code"] = rc
                out["worker_stop_seconds"] = round(bench.stop_seconds, 3)
        except BaseException as exc:
            log("error while stopping worker: %r" % (exc,))
            status = status or 1
        bench.cleanup()
        if late_signals:
            out.setdefault("error", "interrupted by signal %d" % late_signals[0])
            status = status or 128 + late_signals[0]
    print(json.dumps(out, indent=2))
    sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
