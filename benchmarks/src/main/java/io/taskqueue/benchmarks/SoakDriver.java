package io.taskqueue.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.taskqueue.core.TaskException;
import io.taskqueue.core.TaskTemplate;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The soak run: counted tasks at a steady rate on Redis for a long time, with two workers, one of
 * which is restarted (gracefully) at a fixed interval. It reports tasks lost and executed twice, and
 * the heap after a full GC and the thread count of the worker that stays up, at the start and the
 * end. {@code --minutes=10 --restart-every=60 --rate=100} by default; exits 1 if a task was lost,
 * the heap grew more than 10% or threads grew.
 */
public final class SoakDriver {

	private final Duration duration;

	private final Duration restartEvery;

	private final int rate;

	private final String run = UUID.randomUUID().toString();

	private final String queue = "soak-" + this.run;

	private final Set<String> sent = ConcurrentHashMap.newKeySet();

	private final AtomicLong refused = new AtomicLong();

	SoakDriver(Duration duration, Duration restartEvery, int rate) {
		this.duration = duration;
		this.restartEvery = restartEvery;
		this.rate = rate;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			String[] pair = arg.replaceFirst("^--", "").split("=", 2);
			options.put(pair[0], pair[1]);
		}
		Map<String, Object> figures = run(Duration.ofMinutes(Long.parseLong(options.getOrDefault("minutes", "10"))),
				Duration.ofSeconds(Long.parseLong(options.getOrDefault("restart-every", "60"))),
				Integer.parseInt(options.getOrDefault("rate", "100")));
		System.out.println(new JsonMapper().writeValueAsString(figures));
		boolean healthy = (long) figures.get("lost") == 0 && (double) figures.get("heap_growth_percent") <= 10
				&& (long) figures.get("threads_end") <= (long) figures.get("threads_start");
		System.exit(healthy ? 0 : 1);
	}

	/**
	 * Run a soak.
	 * @param duration how long to send
	 * @param restartEvery how often the second worker is restarted
	 * @param rate tasks per second
	 * @return the figures
	 * @throws Exception if a process cannot be started
	 */
	public static Map<String, Object> run(Duration duration, Duration restartEvery, int rate) throws Exception {
		return new SoakDriver(duration, restartEvery, rate).soak();
	}

	private Map<String, Object> soak() throws Exception {
		List<String> properties = List.of("taskqueue.broker.type=redis", "taskqueue.result-backend.type=redis",
				"taskqueue.result-backend.expires=10m", "taskqueue.producer.queues=" + this.queue,
				"taskqueue.worker.concurrency=8");
		try (WorkerProcesses workers = new WorkerProcesses(); ExecutionLog log = new ExecutionLog(6379);
				ConfigurableApplicationContext producer = BenchProducer.start(properties)) {
			workers.start(arguments(properties, this.queue + "," + this.queue + "-ctl"), Duration.ofSeconds(60));
			Process restarted = workers.start(arguments(properties, this.queue), Duration.ofSeconds(60));
			TaskTemplate tasks = producer.getBean(TaskTemplate.class);
			long start = System.nanoTime();
			long end = start + this.duration.toNanos();
			long nextRestart = start + this.restartEvery.toNanos();
			long interval = TimeUnit.SECONDS.toNanos(1) / this.rate;
			long next = start;
			Map<String, Object> memoryStart = null;
			int restarts = 0;
			while (System.nanoTime() < end) {
				try {
					this.sent.add(tasks.task("bench.count").args(this.run).queue(this.queue).send().id());
				}
				catch (TaskException ex) {
					this.refused.incrementAndGet();
				}
				if (memoryStart == null && System.nanoTime() - start > Math.min(TimeUnit.SECONDS.toNanos(10),
						this.duration.toNanos() / 3)) {
					memoryStart = memory(tasks);
				}
				if (System.nanoTime() >= nextRestart) {
					restarted.destroy();
					restarted.waitFor(60, TimeUnit.SECONDS);
					restarted = workers.start(arguments(properties, this.queue), Duration.ofSeconds(60));
					restarts++;
					nextRestart += this.restartEvery.toNanos();
				}
				next += interval;
				long wait;
				// parkNanos may return early (a spurious wake-up or a left-over permit): wait out the rest.
				while ((wait = next - System.nanoTime()) > 0) {
					LockSupport.parkNanos(wait);
				}
			}
			Map<String, Integer> executions = awaitExecutions(log);
			Map<String, Object> memoryEnd = memory(tasks);
			log.delete(this.run);
			return figures(executions, restarts, memoryStart, memoryEnd);
		}
	}

	private Map<String, Integer> awaitExecutions(ExecutionLog log) {
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		Map<String, Integer> executions = log.executions(this.run);
		while (!executions.keySet().containsAll(this.sent) && System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
			executions = log.executions(this.run);
		}
		return executions;
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> memory(TaskTemplate tasks) {
		return (Map<String, Object>) tasks.task("bench.memory").queue(this.queue + "-ctl").send().get(Duration.ofSeconds(60));
	}

	private Map<String, Object> figures(Map<String, Integer> executions, int restarts, Map<String, Object> start,
			Map<String, Object> end) {
		long lost = this.sent.stream().filter((id) -> !executions.containsKey(id)).count();
		long duplicates = executions.values().stream().mapToLong((count) -> Math.max(0, count - 1)).sum();
		double heapStart = ((Number) start.get("heapUsedAfterGc")).doubleValue();
		double heapEnd = ((Number) end.get("heapUsedAfterGc")).doubleValue();
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("seconds", this.duration.toSeconds());
		figures.put("rate_per_s", this.rate);
		figures.put("worker_restarts", restarts);
		figures.put("sent", (long) this.sent.size());
		figures.put("refused_sends", this.refused.get());
		figures.put("executed", (long) executions.size());
		figures.put("lost", lost);
		figures.put("duplicate_executions", duplicates);
		figures.put("heap_after_gc_start_bytes", (long) heapStart);
		figures.put("heap_after_gc_end_bytes", (long) heapEnd);
		figures.put("heap_growth_percent", Math.round((heapEnd - heapStart) / heapStart * 1000) / 10.0);
		figures.put("threads_start", ((Number) start.get("threads")).longValue());
		figures.put("threads_end", ((Number) end.get("threads")).longValue());
		figures.put("runner_threads_end", ((Number) end.get("runnerThreads")).longValue());
		return figures;
	}

	private static List<String> arguments(List<String> properties, String queues) {
		List<String> arguments = new ArrayList<>(properties.stream().map((property) -> "--" + property).toList());
		arguments.add("--taskqueue.worker.queues=" + queues);
		return arguments;
	}



}
