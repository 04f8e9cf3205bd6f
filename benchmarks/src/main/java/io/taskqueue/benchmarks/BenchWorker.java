package io.taskqueue.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.core.TaskContext;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The worker process of the end-to-end benchmarks: a Spring Boot application with the benchmark
 * tasks, configured entirely by command-line properties ({@code --taskqueue.*}).
 */
@SpringBootApplication
public class BenchWorker {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(BenchWorker.class);
		// Results of benchmark tasks expire after an hour (the default is a day): a full run stores
		// hundreds of thousands, in the machine's shared Redis.
		application.setDefaultProperties(Map.of("spring.main.web-application-type", "none", "spring.main.banner-mode",
				"off", "logging.level.io.taskqueue", "WARN", "logging.level.root", "WARN",
				"taskqueue.result-backend.expires", "1h"));
		application.run(args);
		System.out.println("BENCH-WORKER-READY");
	}

	private final ExecutionLog executions = new ExecutionLog(Integer.getInteger("bench.log.port", 6379));

	@Value("${taskqueue.worker.queues:celery}")
	private String queues;

	/**
	 * Records its execution in the {@link ExecutionLog}, for the fault and soak scenarios' counts of
	 * lost and duplicated tasks.
	 */
	@TaskListener("bench.count")
	String count(String run, TaskContext context) {
		this.executions.record(run, context.id());
		return run;
	}

	/**
	 * The end-to-end task. Like the Celery baseline's task (Celery's default), it records only its
	 * outcome, not STARTED.
	 */
	@TaskListener(name = "bench.echo", trackStarted = false)
	Object echo(Object value) {
		return value;
	}

	/**
	 * The same task with taskqueue's default of recording STARTED (one more state store and
	 * notification per task), for {@code --task=bench.echo.tracked}.
	 */
	@TaskListener("bench.echo.tracked")
	Object echoTracked(Object value) {
		return value;
	}

	/**
	 * Returns when the task started, in microseconds since the epoch, for latency figures.
	 */
	@TaskListener("bench.stamp")
	long stamp(long sentMicros) {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
	}

	/**
	 * Returns how long this process's JIT compilers have worked so far, in milliseconds.
	 */
	@TaskListener("bench.jit")
	long jit() {
		return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
	}

	/**
	 * Returns this process's heap after a full collection and its resident set size, in bytes, and
	 * its live threads: those that run tasks ({@code runnerThreads}; each queue's pool grows with
	 * the load up to its concurrency and shrinks after a minute idle) and the others
	 * ({@code threads}, which should not grow).
	 */
	@TaskListener("bench.memory")
	Map<String, Long> memory() throws Exception {
		System.gc();
		Map<String, Long> memory = new LinkedHashMap<>();
		memory.put("heapUsedAfterGc", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
		memory.put("rss", residentSetSize());
		Set<String> runnerPrefixes = Arrays.stream(this.queues.split(","))
			.map((queue) -> "taskqueue-" + queue.trim() + "-")
			.collect(Collectors.toSet());
		long runners = Thread.getAllStackTraces().keySet().stream().filter((thread) -> isRunner(thread, runnerPrefixes))
			.count();
		memory.put("threads", Thread.activeCount() - runners);
		memory.put("runnerThreads", runners);
		return memory;
	}

	private static boolean isRunner(Thread thread, Set<String> runnerPrefixes) {
		String name = thread.getName();
		for (String prefix : runnerPrefixes) {
			if (name.startsWith(prefix) && name.substring(prefix.length()).chars().allMatch(Character::isDigit)) {
				return true;
			}
		}
		return false;
	}

	static long residentSetSize() throws Exception {
		for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
			}
		}
		return -1;
	}

}
