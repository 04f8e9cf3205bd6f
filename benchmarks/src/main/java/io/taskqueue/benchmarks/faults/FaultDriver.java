package io.taskqueue.benchmarks.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.taskqueue.benchmarks.BenchProducer;
import io.taskqueue.benchmarks.ExecutionLog;
import io.taskqueue.benchmarks.WorkerProcesses;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.core.TaskException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the reliability scenarios of the README's outage table against real processes: a steady
 * stream of counted tasks while the broker restarts, the result backend is down, the broker is
 * frozen with {@code SIGSTOP}, or workers are killed with {@code kill -9} over and over. For each it
 * reports tasks sent, sends refused (the caller got an exception), tasks executed, lost (sent, never
 * executed), duplicate executions and the recovery time. The {@code rabbit-} scenarios do the same
 * to the machine's RabbitMQ as broker (its application stopped and started, a memory alarm, workers
 * killed), with results in the scenario's own Redis. Usage: {@code FaultDriver [broker-restart|backend-down|
 * broker-freeze|worker-kill-loop|rabbit-restart|rabbit-alarm|rabbit-worker-kill-loop ...]}.
 */
public final class FaultDriver {

	private static final int RATE = Integer.getInteger("fault.rate", 100);

	private static final Duration DURATION = Duration.ofSeconds(Integer.getInteger("fault.seconds", 20));

	private static final Duration FAULT_AT = Duration.ofSeconds(5);

	private static final Duration OUTAGE = Duration.ofSeconds(10);

	/** Short, so a message taken by a killed worker (or whose reply was lost) runs again within the run. */
	private static final Duration VISIBILITY = Duration.ofSeconds(20);

	private final String run = UUID.randomUUID().toString();

	private final String queue = "fault-" + this.run;

	private final Map<String, Long> sent = new ConcurrentHashMap<>();

	private final AtomicLong refused = new AtomicLong();

	private volatile Instant faultEnd;

	public static void main(String[] args) throws Exception {
		List<String> scenarios = (args.length > 0) ? List.of(args)
				: List.of("broker-restart", "backend-down", "broker-freeze", "worker-kill-loop");
		List<Map<String, Object>> rows = new ArrayList<>();
		for (String scenario : scenarios) {
			rows.add(new FaultDriver().run(scenario));
			System.err.println("[fault] " + rows.get(rows.size() - 1));
		}
		System.out.println(new JsonMapper().writeValueAsString(rows));
	}

	Map<String, Object> run(String scenario) throws Exception {
		try (RedisProcess redis = RedisProcess.start(); ExecutionLog log = new ExecutionLog(6379);
				WorkerProcesses workers = new WorkerProcesses()) {
			boolean rabbit = scenario.equals("backend-down") || scenario.startsWith("rabbit-");
			List<String> properties = properties(redis.port(), rabbit);
			int workerCount = scenario.endsWith("worker-kill-loop") ? 2 : 1;
			List<Process> running = new ArrayList<>();
			for (int i = 0; i < workerCount; i++) {
				running.add(workers.start(workerArguments(properties), Duration.ofSeconds(60)));
			}
			try (ConfigurableApplicationContext producer = BenchProducer.start(properties)) {
				TaskTemplate tasks = producer.getBean(TaskTemplate.class);
				Thread fault = new Thread(() -> inject(scenario, redis, workers, running, properties), "fault");
				fault.start();
				send(tasks);
				fault.join();
				Map<String, Object> row = drainAndCount(scenario, log);
				log.delete(this.run);
				if (rabbit) {
					for (Process worker : running) {
						worker.destroy();
						worker.waitFor();
					}
					new RabbitAdmin(producer.getBean(ConnectionFactory.class)).deleteQueue(this.queue);
				}
				return row;
			}
		}
	}

	private void send(TaskTemplate tasks) {
		long intervalNanos = TimeUnit.SECONDS.toNanos(1) / RATE;
		long start = System.nanoTime();
		long end = start + DURATION.toNanos();
		long next = start;
		while (System.nanoTime() < end) {
			try {
				String id = tasks.task("bench.count").args(this.run).queue(this.queue).send().id();
				this.sent.put(id, micros(Instant.now()));
			}
			catch (TaskException ex) {
				this.refused.incrementAndGet();
			}
			next += intervalNanos;
			long wait;
			// parkNanos may return early (a spurious wake-up or a left-over permit): wait out the rest.
			while ((wait = next - System.nanoTime()) > 0) {
				LockSupport.parkNanos(wait);
			}
		}
	}

	private void inject(String scenario, RedisProcess redis, WorkerProcesses workers, List<Process> running,
			List<String> properties) {
		try {
			LockSupport.parkNanos(FAULT_AT.toNanos());
			switch (scenario) {
				case "broker-restart", "backend-down" -> {
					redis.stop();
					LockSupport.parkNanos(scenario.equals("backend-down") ? OUTAGE.toNanos() : Duration.ofSeconds(2).toNanos());
					redis.restart();
				}
				case "broker-freeze" -> {
					redis.freeze();
					LockSupport.parkNanos(OUTAGE.toNanos());
					redis.thaw();
				}
				case "rabbit-restart" -> {
					RabbitControl.stopApp();
					LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
					RabbitControl.startApp();
				}
				case "rabbit-alarm" -> {
					String watermark = RabbitControl.raiseMemoryAlarm();
					try {
						LockSupport.parkNanos(OUTAGE.toNanos());
					}
					finally {
						RabbitControl.clearMemoryAlarm(watermark);
					}
				}
				case "worker-kill-loop", "rabbit-worker-kill-loop" -> {
					for (int kill = 0; kill < 4; kill++) {
						Process victim = running.remove(0);
						victim.destroyForcibly().waitFor();
						running.add(workers.start(workerArguments(properties), Duration.ofSeconds(60)));
						LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
					}
				}
				default -> throw new IllegalArgumentException("Unknown scenario " + scenario);
			}
			this.faultEnd = Instant.now();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Fault injection failed in " + scenario, ex);
		}
	}

	private Map<String, Object> drainAndCount(String scenario, ExecutionLog log) {
		long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
		Map<String, Integer> executions = log.executions(this.run);
		while (!executions.keySet().containsAll(this.sent.keySet()) && System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
			executions = log.executions(this.run);
		}
		Map<String, Integer> settled = executions;
		long lost = this.sent.keySet().stream().filter((id) -> !settled.containsKey(id)).count();
		long duplicates = settled.values().stream().mapToLong((count) -> Math.max(0, count - 1)).sum();
		long end = micros(this.faultEnd);
		Map<String, Long> first = log.firstExecutions(this.run);
		long resumed = first.values().stream().filter((at) -> at >= end).mapToLong((at) -> at - end).min().orElse(-1);
		long caughtUp = this.sent.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() < end && first.containsKey(entry.getKey()))
			.mapToLong((entry) -> first.get(entry.getKey()) - end)
			.max()
			.orElse(0);
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("scenario", scenario);
		row.put("sent", this.sent.size());
		row.put("refused_sends", this.refused.get());
		row.put("executed", settled.size());
		row.put("lost", lost);
		row.put("duplicate_executions", duplicates);
		row.put("first_task_after_fault_ms", (resumed >= 0) ? resumed / 1_000 : null);
		row.put("backlog_done_after_fault_ms", Math.max(0, caughtUp) / 1_000);
		return row;
	}

	private static long micros(Instant instant) {
		return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
	}

	private List<String> properties(int redisPort, boolean rabbitBroker) {
		return List.of("taskqueue.broker.type=" + (rabbitBroker ? "rabbit" : "redis"),
				"taskqueue.result-backend.type=redis", "spring.data.redis.port=" + redisPort,
				"spring.data.redis.timeout=2s", "spring.data.redis.connect-timeout=2s",
				"taskqueue.worker.queues=" + this.queue, "taskqueue.producer.queues=" + this.queue,
				"taskqueue.worker.concurrency=8", "taskqueue.redis.visibility-timeout=" + VISIBILITY.toSeconds() + "s");
	}

	private static List<String> workerArguments(List<String> properties) {
		return properties.stream().map((property) -> "--" + property).toList();
	}



}
