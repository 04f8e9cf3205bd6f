#!/usr/bin/env python3
"""Summarises a benchmarks/profile.sh directory: for each profiled JVM, its CPU samples by thread
and by kind of work (a sample counts for the first kind whose frame it holds); and, from perf.txt,
context switches and system calls per task of each process. Usage: profile_summary.py <directory>"""
import collections
import json
import os
import re
import sys

# Kinds of work, matched against a sample's whole stack in this order.
KINDS = [
    ("blocking (park)", ("Unsafe.park", "Unsafe_Park")),
    ("waking others (unpark)", ("Unsafe.unpark",)),
    ("waiting in poll/epoll", ("epollWait", "Net.poll", "epoll_wait")),
    ("socket writes", ("SocketDispatcher.write", "Socket.sendAddress", "writeBytes")),
    ("socket reads", ("SocketDispatcher.read", "readAddress", "doReadBytes")),
    ("AMQP header tables", ("ValueReader.readTable", "ContentHeaderPropertyWriter.writeTable")),
    ("JSON", ("tools/jackson",)),
    ("JIT compiler", ("CompileBroker",)),
    ("garbage collector", ("[GC Thread", "G1", "[VM Thread")),
]


def thread_name(frame):
    """[pool-3-thread-12 tid=123] -> pool-N-thread-N: numbered threads of one pool count together."""
    return re.sub(r"\d+", "N", re.sub(r" tid=\d+\]$", "]", frame)).strip("[]")


def collapsed(path):
    for line in open(path):
        stack, _, count = line.rstrip().rpartition(" ")
        if stack:
            yield stack, int(count)


def jvm_summary(path, out):
    threads, kinds, total = collections.Counter(), collections.Counter(), 0
    for stack, count in collapsed(path):
        total += count
        threads[thread_name(stack.split(";", 1)[0])] += count
        kinds[next((name for name, marks in KINDS if any(m in stack for m in marks)), "other")] += count
    out.append(f"\n== {os.path.basename(path)}: {total} samples")
    if total:
        out.extend(f"  {100 * n / total:5.1f}%  thread {name}" for name, n in threads.most_common(8))
        out.extend(f"  {100 * kinds[name] / total:5.1f}%  {name}" for name, _ in KINDS + [("other", ())])


def perf_summary(directory, out):
    """perf stat --per-thread lines: '<comm>-<tid>  <count>  <event>'; comm is cut to 15 characters."""
    path = os.path.join(directory, "perf.txt")
    rate = measured_rate(directory)
    if not os.path.exists(path) or not rate:
        return
    seconds = float(os.environ.get("PERF_SECONDS", "3"))
    process = {}
    if os.path.exists(os.path.join(directory, "threads.txt")):
        process = dict(reversed(line.split()) for line in open(os.path.join(directory, "threads.txt")) if line.strip())
    counts = collections.defaultdict(collections.Counter)
    for line in open(path):
        match = re.match(r"\s*(.+)-(\d+)\s+([\d,]+)\s+(context-switches|raw_syscalls:sys_enter)", line)
        if match:
            name = process.get(match.group(2), "?") + ": " + re.sub(r"\d+", "N", match.group(1).strip())
            counts[name][match.group(4)] += int(match.group(3).replace(",", ""))
    tasks = rate * seconds
    out.append(f"\n== per task, over {seconds:g} s of the round at {rate:,.0f} tasks/s (thread names as the kernel cuts them)")
    rows = sorted(counts.items(), key=lambda item: -item[1]["raw_syscalls:sys_enter"])
    for name, count in rows[:12]:
        out.append(f"  {count['context-switches'] / tasks:5.2f} context switches  "
                   f"{count['raw_syscalls:sys_enter'] / tasks:5.2f} system calls  {name}")
    total = sum((count for _, count in rows), collections.Counter())
    out.append(f"  {total['context-switches'] / tasks:5.2f} context switches  "
               f"{total['raw_syscalls:sys_enter'] / tasks:5.2f} system calls  all")


def measured_rate(directory):
    """Tasks per second of the profiled round: the first many-sender figure of the driver's JSON."""
    for line in open(os.path.join(directory, "driver.json")):
        if line.startswith("{"):
            figures = json.loads(line)
            keys = [key for key in figures if re.fullmatch(r"e2e_\d+_producers_tasks_per_s", key)]
            return figures[keys[0]] if keys else None
    return None


def main(directory):
    out = []
    for name in sorted(os.listdir(directory)):
        if name.endswith(".collapsed"):
            jvm_summary(os.path.join(directory, name), out)
    perf_summary(directory, out)
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
