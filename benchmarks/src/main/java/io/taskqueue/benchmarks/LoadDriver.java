package io.taskqueue.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleFunction;

import io.taskqueue.broker.TaskBroker;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskRequest;
import io.taskqueue.core.TaskTemplate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * The end-to-end benchmark: starts worker JVMs, then measures enqueue rate, throughput with
 * results, round-trip latency and countdown accuracy through a real broker, and prints one JSON
 * object. Arguments are {@code --name=value}; see {@code benchmarks/README.md}.
 */
public final class LoadDriver {

	private final Options options;

	private final String queue = "bench-" + UUID.randomUUID();

	private final Map<String, Object> figures = new LinkedHashMap<>();

	/** The Redis that stores results; set once the producer has started. */
	private @Nullable RedisConnectionFactory redis;

	private LoadDriver(Options options) {
		this.options = options;
	}

	public static void main(String[] args) throws Exception {
		Map<String, Object> figures = run(Options.parse(args));
		System.out.println(new JsonMapper().writeValueAsString(figures));
	}

	/**
	 * Run the benchmark.
	 * @param options what to run
	 * @return the figures, by name
	 * @throws Exception if a step fails or times out
	 */
	public static Map<String, Object> run(Options options) throws Exception {
		LoadDriver driver = new LoadDriver(options);
		driver.measure();
		return driver.figures;
	}

	private void measure() throws Exception {
		this.figures.put("implementation", "taskqueue");
		this.figures.put("broker", this.options.broker);
		this.figures.put("workers", this.options.workers);
		this.figures.put("concurrency", this.options.concurrency);
		this.figures.put("tasks", this.options.tasks);
		this.figures.put("task", this.options.task);
		this.figures.put("java", Runtime.version().toString());
		if (this.options.queueVersion != null) {
			this.figures.put("queue_version", this.options.queueVersion);
		}
		this.figures.put("sends", this.options.asyncSends() ? "sendAsync" : "send");
		this.figures.put("empty_headers", this.options.emptyHeaders());
		this.figures.put("delivery_mode", this.options.deliveryMode());
		try (ConfigurableApplicationContext producer = BenchProducer.start(brokerProperties())) {
			try (WorkerProcesses workers = new WorkerProcesses()) {
				runScenarios(producer, workers);
			}
			removeRabbitQueues(producer);
		}
	}

	private void runScenarios(ConfigurableApplicationContext producer, WorkerProcesses workers) throws Exception {
		RedisConnectionFactory redis = producer.getBean(RedisConnectionFactory.class);
		this.redis = redis;
		TaskTemplate tasks = producer.getBean(TaskTemplate.class);
		TaskBroker broker = producer.getBean(TaskBroker.class);
		measureEnqueue(tasks, broker);
		for (int i = 0; i < this.options.workers; i++) {
			workers.start(workerProperties(i), Duration.ofSeconds(60));
		}
		warmUp(tasks);
		CpuMeter cpu = cpuMeter(producer, workers);
		this.figures.put("e2e_tasks_per_s", round(throughput(tasks, this.options.tasks, 1, cpu)));
		this.figures.put("e2e_cpu_us_per_task", cpu.perUnit(this.options.tasks));
		StringBuilder cpuLog = new StringBuilder("CPU per task (µs): " + this.figures.get("e2e_cpu_us_per_task")
				+ " with 1 producer thread");
		for (int producers : this.options.producers()) {
			String name = "e2e_" + producers + "_producers_";
			this.figures.put(name + "tasks_per_s", round(throughput(tasks, this.options.tasks, producers, cpu)));
			this.figures.put(name + "cpu_us_per_task", cpu.perUnit(this.options.tasks));
			cpuLog.append(", ").append(this.figures.get(name + "cpu_us_per_task")).append(" with ").append(producers);
		}
		if (this.options.broker.equals("redis")) {
			this.figures.put("drain_tasks_per_s", round(drain(tasks, redis,
					this.options.tasks, this.options.mostProducers(), cpu)));
			this.figures.put("drain_cpu_us_per_task", cpu.perUnit(this.options.tasks));
		}
		log(cpuLog.toString());
		latency(tasks);
		countdown(tasks);
		memory(tasks);
		broker.purge(this.queue);
	}

	/**
	 * Delete the run's queues and their exchanges on RabbitMQ once the workers are gone (on Redis, the
	 * purges left nothing behind), so that repeated runs do not pile up queues on the broker.
	 */
	private void removeRabbitQueues(ConfigurableApplicationContext producer) {
		if (!this.options.broker.equals("rabbit")) {
			return;
		}
		RabbitAdmin admin = new RabbitAdmin(producer.getBean(ConnectionFactory.class));
		List<String> queues = new ArrayList<>(List.of(this.queue, this.queue + "-enqueue"));
		for (int i = 0; i < this.options.workers; i++) {
			queues.add(controlQueue(i));
		}
		for (String queue : queues) {
			admin.deleteQueue(queue);
			admin.deleteExchange(queue);
		}
	}


	/**
	 * Run rounds of {@code --warmup} tasks until the JIT compilers of the producer and the workers are
	 * quiet (under 5% of a round's time spent compiling), so that measured runs are not paying for
	 * compilation: with a fixed 20,000-task warm-up, C2 still took a third of the CPU afterwards.
	 * Rounds alternate between the configured senders and one, since one sender meets paths that
	 * many do not (batches of one, an idle consumer's wait): with only many-sender rounds, C2 took
	 * a tenth of the machine during the one-sender phase.
	 */
	private void warmUp(TaskTemplate tasks) throws Exception {
		int rounds = 0;
		long compiled = compilationMillis(tasks);
		boolean quiet = false;
		while (!quiet && rounds < this.options.warmupRounds) {
			long start = System.nanoTime();
			throughput(tasks, this.options.warmup, (rounds % 2 == 0) ? this.options.mostProducers() : 1, new CpuMeter());
			rounds++;
			long roundMillis = (System.nanoTime() - start) / 1_000_000;
			long now = compilationMillis(tasks);
			log("warm-up round " + rounds + ": " + (now - compiled) + " ms compiling in " + roundMillis + " ms");
			quiet = (now - compiled) < roundMillis / 20;
			compiled = now;
		}
		this.figures.put("warmup_tasks", rounds * this.options.warmup);
		// with sendAsync a round is short, and runs capped at 6 rounds had the worker compiling through
		// half of the measured round: a figure measured that way says so
		this.figures.put("warmup_quiet", quiet);
		if (!quiet) {
			log("WARNING: the JIT compilers were still busy after " + rounds
					+ " warm-up rounds (--warmup-rounds); the figures include compilation");
		}
	}

	/**
	 * Time the JIT compilers have spent so far in the producer and every worker.
	 */
	private long compilationMillis(TaskTemplate tasks) {
		long millis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
		for (int i = 0; i < this.options.workers; i++) {
			millis += tasks.task("bench.jit").queue(controlQueue(i)).send().get(Duration.ofSeconds(30), Long.class);
		}
		return millis;
	}

	/**
	 * Measure the driver (producer), the worker JVMs, Redis and, on RabbitMQ, the broker's VM.
	 */
	private CpuMeter cpuMeter(ConfigurableApplicationContext producer, WorkerProcesses workers) {
		CpuMeter meter = new CpuMeter().add("producer", ProcessHandle.current().pid())
			.add("workers", workers.pids())
			.add("redis", redisPid(producer));
		if (this.options.broker.equals("rabbit")) {
			meter.add("rabbitmq", CpuMeter.findProcess("beam.smp"));
		}
		return meter.start();
	}

	private static long redisPid(ConfigurableApplicationContext producer) {
		try (RedisConnection connection = producer.getBean(RedisConnectionFactory.class).getConnection()) {
			Properties server = connection.serverCommands().info("server");
			return Long.parseLong(server.getProperty("process_id", "-1"));
		}
	}

	/** What producer and workers share: the broker, Redis results, the declaration of task queues. */
	private List<String> brokerProperties() {
		List<String> properties = new ArrayList<>(
				List.of("taskqueue.broker.type=" + this.options.broker, "taskqueue.result-backend.type=redis",
						"taskqueue.producer.empty-headers=" + this.options.emptyHeaders,
						"taskqueue.producer.delivery-mode=" + this.options.deliveryMode));
		if (this.options.queueVersion != null) {
			properties.add("taskqueue.rabbit.queue-version=" + this.options.queueVersion);
		}
		return properties;
	}

	private List<String> workerProperties(int index) {
		List<String> properties = new ArrayList<>();
		brokerProperties().forEach((property) -> properties.add("--" + property));
		properties.addAll(List.of("--taskqueue.worker.queues=" + this.queue + "," + controlQueue(index),
				"--taskqueue.worker.concurrency=" + this.options.concurrency,
				"--taskqueue.worker.prefetch-multiplier=" + this.options.prefetch));
		return properties;
	}

	private String controlQueue(int index) {
		return this.queue + "-ctl-" + index;
	}

	private void measureEnqueue(TaskTemplate tasks, TaskBroker broker) throws Exception {
		String target = this.queue + "-enqueue";
		int count = this.options.enqueue;
		if (count == 0) {
			// nothing sent: the queue was never declared, and a purge of it would fail on RabbitMQ
			return;
		}
		for (int threads : new int[] { 1, 8 }) {
			send(tasks, target, Math.min(count, 1_000), threads);
			broker.purge(target);
			long start = System.nanoTime();
			send(tasks, target, count, threads);
			double seconds = (System.nanoTime() - start) / 1e9;
			broker.purge(target);
			this.figures.put("enqueue_" + threads + "_threads_per_s", round(count / seconds));
			log("enqueue with " + threads + " thread(s): " + round(count / seconds) + " tasks/s");
		}
	}

	private static void send(TaskTemplate tasks, String queue, int count, int threads) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int share = count / threads + ((t < count % threads) ? 1 : 0);
				done.add(pool.submit(() -> {
					for (int i = 0; i < share; i++) {
						tasks.task("bench.echo").args(i).queue(queue).send();
					}
				}));
			}
			for (Future<?> future : done) {
				future.get();
			}
		}
		finally {
			pool.shutdown();
		}
	}

	/**
	 * Send {@code count} echo tasks from {@code producers} threads as fast as {@code send} returns,
	 * await every result and check it; return tasks per second from the first send to the last result,
	 * the span that {@code cpu} measures.
	 */
	private double throughput(TaskTemplate tasks, int count, int producers, CpuMeter cpu) throws Exception {
		cpu.start();
		long start = System.nanoTime();
		Round round = sendRound(tasks, this.queue, count, producers);
		double sendSeconds = (System.nanoTime() - start) / 1e9;
		double seconds = finish(round, start, cpu, (elapsed) -> count + " tasks end to end from " + producers
				+ " producer thread(s) in " + round(elapsed) + " s (sending took " + round(sendSeconds) + " s): "
				+ round(count / elapsed) + " tasks/s");
		return count / seconds;
	}

	/**
	 * The consuming side's ceiling on Redis: send {@code count} echo tasks from {@code producers}
	 * threads to a queue no worker reads, move them all onto the workers' queue at once (a
	 * {@code RENAME} of the Redis list, which wakes a waiting consumer), and return tasks per second
	 * from then to the last result in hand ({@code cpu} measures that span too). The sends are left
	 * out, so the end-to-end rate cannot exceed this one: it says how much of the end-to-end time the
	 * workers, Redis and the result replies take on their own.
	 */
	private double drain(TaskTemplate tasks, RedisConnectionFactory redis, int count, int producers, CpuMeter cpu)
			throws Exception {
		String held = this.queue + "-held";
		Round round = sendRound(tasks, held, count, producers);
		// sendAsync returns before Redis has the message: a RENAME before the last push would leave it behind
		round.awaitTaken();
		long start;
		try (RedisConnection connection = redis.getConnection()) {
			cpu.start();
			start = System.nanoTime();
			connection.keyCommands().rename(held.getBytes(StandardCharsets.UTF_8),
					this.queue.getBytes(StandardCharsets.UTF_8));
		}
		double seconds = finish(round, start, cpu,
				(elapsed) -> count + " queued tasks drained in " + round(elapsed) + " s: " + round(count / elapsed)
						+ " tasks/s");
		return count / seconds;
	}

	/**
	 * Wait for a round's results and check them, stop {@code cpu}, log the round, then delete the
	 * results. The log line comes first because {@code profile.sh} stops profiling when it sees it:
	 * the clean-up is not part of what a round measures.
	 * @param line the log line, given the seconds the round took
	 * @return the seconds from {@code start} (a {@link System#nanoTime()}) to the last result
	 */
	private double finish(Round round, long start, CpuMeter cpu, DoubleFunction<String> line) throws Exception {
		round.await();
		double seconds = (System.nanoTime() - start) / 1e9;
		cpu.stop();
		log(line.apply(seconds));
		deleteResults(round.ids());
		return seconds;
	}

	/**
	 * Send {@code count} echo tasks to a queue from {@code producers} threads, each task's argument
	 * its index, as fast as {@code send} returns (or {@code sendAsync}, with {@code --async-sends}).
	 */
	private Round sendRound(TaskTemplate tasks, String queue, int count, int producers) throws Exception {
		List<List<CompletableFuture<Object>>> results = new ArrayList<>();
		// each sending thread keeps its own ids, so that sends do not contend for one list
		List<List<String>> ids = new CopyOnWriteArrayList<>();
		// with sendAsync, each thread's futures of the broker taking its messages
		List<List<CompletableFuture<AsyncResult>>> handedOver = new CopyOnWriteArrayList<>();
		// Virtual threads (Java 21+) stand for the request threads of a web application that runs on them
		@Nullable ExecutorService pool = this.options.virtualSenders() ? null : Executors.newFixedThreadPool(producers);
		AsyncTaskExecutor senders = (pool != null) ? new TaskExecutorAdapter(pool)
				: new VirtualThreadTaskExecutor("bench-sender-");
		try {
			List<Future<List<CompletableFuture<Object>>>> sending = new ArrayList<>();
			for (int p = 0; p < producers; p++) {
				int first = p;
				sending.add(senders.submit(() -> {
					List<CompletableFuture<Object>> mine = new ArrayList<>();
					List<String> myIds = new ArrayList<>();
					ids.add(myIds);
					List<CompletableFuture<AsyncResult>> myHandedOver = new ArrayList<>();
					handedOver.add(myHandedOver);
					for (int i = first; i < count; i += producers) {
						TaskRequest request = tasks.task(this.options.task).args(i).queue(queue);
						if (this.options.asyncSends()) {
							String id = UUID.randomUUID().toString();
							myIds.add(id);
							CompletableFuture<AsyncResult> taken = request.taskId(id).sendAsync();
							myHandedOver.add(taken);
							mine.add(taken.thenCompose(AsyncResult::toCompletableFuture));
						}
						else {
							AsyncResult sent = request.send();
							myIds.add(sent.id());
							mine.add(sent.toCompletableFuture());
						}
					}
					return mine;
				}));
			}
			for (Future<List<CompletableFuture<Object>>> sent : sending) {
				results.add(sent.get());
			}
		}
		finally {
			if (pool != null) {
				pool.shutdown();
			}
		}
		return new Round(results, ids.stream().flatMap(List::stream).toList(),
				handedOver.stream().flatMap(List::stream).toList());
	}

	/**
	 * The tasks of one round, as {@link #sendRound} sent them.
	 * @param results each sending thread's result futures, in the order it sent them
	 * @param ids the tasks' ids
	 * @param handedOver with {@code sendAsync}, the futures of the broker taking each message
	 */
	private record Round(List<List<CompletableFuture<Object>>> results, List<String> ids,
			List<CompletableFuture<AsyncResult>> handedOver) {

		/** Wait until the broker has every message (at once for {@code send}, which waited already). */
		void awaitTaken() throws Exception {
			CompletableFuture.allOf(this.handedOver.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
		}

		/** Wait for every result and check that each task echoed its index. */
		void await() throws Exception {
			CompletableFuture.allOf(this.results.stream().flatMap(List::stream).toArray(CompletableFuture[]::new))
				.get(10, TimeUnit.MINUTES);
			int producers = this.results.size();
			for (int p = 0; p < producers; p++) {
				List<CompletableFuture<Object>> mine = this.results.get(p);
				for (int k = 0; k < mine.size(); k++) {
					Object value = mine.get(k).get();
					int expected = p + k * producers;
					if (!(value instanceof Number number) || number.intValue() != expected) {
						throw new IllegalStateException("Task " + expected + " returned " + value);
					}
				}
			}
		}

	}

	/**
	 * Delete the stored results of a round once it is measured, as the Celery driver does: results
	 * live for an hour, and an hour of runs left over a million keys in Redis, a key space that
	 * every later round would measure too.
	 */
	private void deleteResults(List<String> ids) {
		RedisConnectionFactory redis = this.redis;
		Assert.state(redis != null, "The producer has not started");
		// a DEL of many keys at a time (Celery's layout), so that the clean-up is short and stays out
		// of a profile that ends with the round
		try (RedisConnection connection = redis.getConnection()) {
			for (int from = 0; from < ids.size(); from += 1000) {
				byte[][] keys = ids.subList(from, Math.min(from + 1000, ids.size()))
					.stream()
					.map((id) -> ("celery-task-meta-" + id).getBytes(StandardCharsets.UTF_8))
					.toArray(byte[][]::new);
				Long deleted = connection.keyCommands().del(keys);
				// a key layout that no longer matches would leave every result behind, round after round
				Assert.state(deleted != null && deleted == keys.length,
						() -> "Deleted " + deleted + " of " + keys.length + " results");
			}
		}
	}

	private void latency(TaskTemplate tasks) throws Exception {
		int count = this.options.latency;
		long[] toStart = new long[count];
		long[] toResult = new long[count];
		List<String> ids = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			long sentMicros = nowMicros();
			long start = System.nanoTime();
			AsyncResult result = tasks.task("bench.stamp").args(sentMicros).queue(this.queue).send();
			Long startedMicros = result.get(Duration.ofSeconds(30), Long.class);
			toResult[i] = System.nanoTime() - start;
			ids.add(result.id());
			toStart[i] = (startedMicros - sentMicros) * 1_000;
		}
		deleteResults(ids);
		Percentiles start = new Percentiles(toStart);
		Percentiles result = new Percentiles(toResult);
		this.figures.put("latency_send_to_start_p50_ms", round(start.at(50)));
		this.figures.put("latency_send_to_start_p99_ms", round(start.at(99)));
		this.figures.put("latency_round_trip_p50_ms", round(result.at(50)));
		this.figures.put("latency_round_trip_p99_ms", round(result.at(99)));
		log("latency over " + count + " sequential tasks: start p50 " + round(start.at(50)) + " ms, round trip p50 "
				+ round(result.at(50)) + " ms, p99 " + round(result.at(99)) + " ms");
	}

	private void countdown(TaskTemplate tasks) throws Exception {
		int count = this.options.countdown;
		List<AsyncResult> results = new ArrayList<>();
		List<Long> dueMicros = new ArrayList<>();
		Instant base = Instant.now().plusSeconds(1);
		for (int i = 0; i < count; i++) {
			Instant due = base.plusMillis(i * 10L);
			dueMicros.add(due.getEpochSecond() * 1_000_000 + due.getNano() / 1_000);
			results.add(tasks.task("bench.stamp").args(0L).eta(due).queue(this.queue).send());
		}
		long[] late = new long[count];
		for (int i = 0; i < count; i++) {
			Long started = results.get(i).get(Duration.ofSeconds(60), Long.class);
			late[i] = (started - dueMicros.get(i)) * 1_000;
		}
		deleteResults(results.stream().map(AsyncResult::id).toList());
		Percentiles lateness = new Percentiles(late);
		this.figures.put("countdown_due_to_start_p50_ms", round(lateness.at(50)));
		this.figures.put("countdown_due_to_start_p99_ms", round(lateness.at(99)));
		log("countdown: due to start p50 " + round(lateness.at(50)) + " ms, p99 " + round(lateness.at(99)) + " ms");
	}

	private void memory(TaskTemplate tasks) {
		List<Object> perWorker = new ArrayList<>();
		for (int i = 0; i < this.options.workers; i++) {
			perWorker.add(tasks.task("bench.memory").queue(controlQueue(i)).send().get(Duration.ofSeconds(30)));
		}
		this.figures.put("worker_memory_after_run", perWorker);
		log("worker memory after the run: " + perWorker);
	}

	private static long nowMicros() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
	}

	private static double round(double value) {
		return Math.round(value * 100) / 100.0;
	}

	private static void log(String message) {
		System.err.println("[driver] " + message);
	}


	/**
	 * What to run.
	 *
	 * @param broker redis or rabbit (results are always on Redis)
	 * @param tasks tasks of the end-to-end run
	 * @param workers worker processes
	 * @param concurrency tasks each worker runs at once
	 * @param prefetch messages per running slot a worker may hold
	 * @param latency sequential tasks of the latency run
	 * @param enqueue tasks of each enqueue-rate run
	 * @param countdown tasks of the countdown run
	 * @param warmup tasks of each warm-up round, run before anything is measured so that the JIT has
	 * compiled the hot paths
	 * @param warmupRounds the most warm-up rounds; rounds stop once the JIT compilers are quiet
	 * @param producers sending threads of the additional end-to-end runs, one run per count (none by
	 * default); {@code --producers=8,32} runs with 8 and with 32
	 * @param task the task of the end-to-end runs: {@code bench.echo} (records only its outcome, as
	 * Celery does by default) or {@code bench.echo.tracked} (also records STARTED)
	 * @param queueVersion {@code taskqueue.rabbit.queue-version} of producer and workers, or {@code null}
	 * @param virtualSenders whether the sending threads of the end-to-end runs are virtual (Java 21+)
	 * @param asyncSends whether the end-to-end runs send with {@code sendAsync}, which returns before
	 * the broker has the message, instead of {@code send}
	 * @param emptyHeaders {@code taskqueue.producer.empty-headers}: whether messages carry the headers
	 * that have no value, as Celery's producers send them
	 * @param deliveryMode {@code taskqueue.producer.delivery-mode}: {@code persistent} (the default) or
	 * {@code transient}
	 */
	public record Options(String broker, int tasks, int workers, int concurrency, int prefetch, int latency, int enqueue,
			int countdown, int warmup, int warmupRounds, List<Integer> producers, String task, @Nullable Integer queueVersion,
			boolean virtualSenders, boolean asyncSends, boolean emptyHeaders, String deliveryMode) {

		/**
		 * Read {@code --name=value} arguments; unnamed settings keep their defaults.
		 * @param args the arguments
		 * @return the options
		 */
		public static Options parse(String[] args) {
			Map<String, String> values = new LinkedHashMap<>();
			for (String arg : args) {
				String[] pair = arg.replaceFirst("^--", "").split("=", 2);
				values.put(pair[0], (pair.length > 1) ? pair[1] : "true");
			}
			return new Options(values.getOrDefault("broker", "redis"), integer(values, "tasks", 20_000),
					integer(values, "workers", 1), integer(values, "concurrency", 16), integer(values, "prefetch", 4),
					integer(values, "latency", 500), integer(values, "enqueue", 5_000),
					integer(values, "countdown", 100), integer(values, "warmup", 10_000),
					integer(values, "warmup-rounds", 30),
					producers(values.getOrDefault("producers", "1")), values.getOrDefault("task", "bench.echo"),
					values.containsKey("queue-version") ? integer(values, "queue-version", 0) : null,
					Boolean.parseBoolean(values.getOrDefault("virtual-senders", "false")),
					Boolean.parseBoolean(values.getOrDefault("async-sends", "false")),
					Boolean.parseBoolean(values.getOrDefault("empty-headers", "false")),
					values.getOrDefault("delivery-mode", "persistent"));
		}

		/** The most sending threads of any end-to-end run. */
		int mostProducers() {
			return this.producers.stream().max(Integer::compare).orElse(1);
		}

		private static List<Integer> producers(String counts) {
			return Arrays.stream(counts.split(",")).map(String::trim).map(Integer::parseInt)
				.filter((count) -> count > 1)
				.toList();
		}

		private static int integer(Map<String, String> values, String name, int fallback) {
			return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
		}

	}

}
