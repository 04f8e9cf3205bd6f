package io.taskqueue.crash;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.taskqueue.broker.TaskBroker;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.Canvas;
import io.taskqueue.core.Signature;
import io.taskqueue.core.TaskState;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.observation.TaskEventPublisher;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.redis.RedisTestSupport;
import io.taskqueue.result.redis.RedisResultBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Worker processes are killed with SIGKILL in the middle of a run, again and again; every task still
 * reaches SUCCESS, and duplicates stay within what acks-late allows (the tasks the killed workers were
 * holding). Each broker runs this scenario; results go to the real Redis.
 */
public abstract class AbstractWorkerCrashTests {

	private static final int TASKS = 200;

	private static final int CONCURRENCY = 4;

	protected final String run = UUID.randomUUID().toString();

	protected final String queue = "crash-" + this.run;

	private final List<WorkerProcess> workers = new ArrayList<>();

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate redis;

	private TaskBroker broker;

	private RedisResultBackend backend;

	private TaskTemplate template;

	/** The broker the test publishes with. */
	protected abstract TaskBroker createBroker(JsonMapper mapper) throws Exception;

	/** Command-line arguments that point a worker process at the same broker. */
	protected abstract List<String> brokerArguments();

	/** Remove what the broker kept for this run. */
	protected abstract void cleanUpBroker(TaskBroker broker) throws Exception;

	@BeforeEach
	void setUp() throws Exception {
		this.connectionFactory = RedisTestSupport.connectionFactory();
		this.redis = new StringRedisTemplate(this.connectionFactory);
		JsonMapper mapper = new JsonMapper();
		this.broker = createBroker(mapper);
		this.broker.declareQueue(this.queue);
		this.backend = new RedisResultBackend(this.connectionFactory, mapper, Duration.ofMinutes(10));
		this.template = new TaskTemplate(this.broker, this.backend, new CeleryMessageCodec(mapper, 1 << 20), List.of(),
				this.queue, new TaskEventPublisher(List.of()), Clock.systemUTC());
	}

	@AfterEach
	void tearDown() throws Exception {
		for (WorkerProcess worker : this.workers) {
			worker.close();
		}
		this.backend.destroy();
		cleanUpBroker(this.broker);
		RedisTestSupport.deleteKeys(this.connectionFactory, "tqcrash:" + this.run + ":*");
		this.connectionFactory.destroy();
	}

	@Test
	void killingWorkersWithSigkillMidRunLosesNoTask() throws Exception {
		WorkerProcess first = startWorker();
		WorkerProcess second = startWorker();
		awaitReady(2);
		List<AsyncResult> results = new ArrayList<>();
		for (int i = 0; i < TASKS; i++) {
			results.add(this.template.task("crash.work").args(this.run, i, 40).send());
		}
		int killedHolding = 0;
		killedHolding += killWhenDone(first, results, TASKS / 4);
		WorkerProcess third = startWorker();
		killedHolding += killWhenDone(second, results, TASKS / 2);
		startWorker();
		killedHolding += killWhenDone(third, results, TASKS * 3 / 4);
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(succeeded(results)).isEqualTo(TASKS));
		for (int i = 0; i < TASKS; i++) {
			assertThat(results.get(i).get(Duration.ofSeconds(5))).isEqualTo(i);
		}
		Map<Object, Object> executions = this.redis.opsForHash().entries("tqcrash:" + this.run + ":executions");
		assertThat(executions).hasSize(TASKS);
		long total = executions.values().stream().mapToLong((count) -> Long.parseLong(count.toString())).sum();
		assertThat(total - TASKS).as("executions beyond one per task").isLessThanOrEqualTo(killedHolding);
	}

	@Test
	void killingAWorkerDuringChordMembersStillRunsTheCallbackExactlyOnce() throws Exception {
		WorkerProcess first = startWorker();
		startWorker();
		awaitReady(2);
		int members = 40;
		Signature[] header = new Signature[members];
		for (int i = 0; i < members; i++) {
			header[i] = Signature.of("crash.work", this.run, i, 100);
		}
		AsyncResult callback = this.template.send(Canvas.chord(Canvas.group(header), Signature.of("crash.total", this.run)));
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
			.until(() -> this.redis.opsForHash().size("tqcrash:" + this.run + ":executions") >= members / 4);
		first.kill9();
		startWorker();
		assertThat(callback.get(Duration.ofSeconds(120))).isEqualTo(members * (members - 1) / 2);
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
			.until(() -> "1".equals(this.redis.opsForValue().get("tqcrash:" + this.run + ":callbacks")));
	}

	private WorkerProcess startWorker() throws Exception {
		List<String> arguments = new ArrayList<>(List.of("--crash.run=" + this.run,
				"--taskqueue.result-backend.type=redis", "--taskqueue.default-queue=" + this.queue,
				"--taskqueue.worker.concurrency=" + CONCURRENCY, "--spring.data.redis.host=" + RedisTestSupport.host(),
				"--spring.data.redis.port=" + RedisTestSupport.port(),
				"--spring.data.redis.database=" + RedisTestSupport.DATABASE));
		arguments.addAll(brokerArguments());
		WorkerProcess worker = WorkerProcess.start(CrashTestWorker.class, arguments);
		this.workers.add(worker);
		return worker;
	}

	private void awaitReady(int count) {
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			this.workers.forEach((worker) -> assertThat(worker.isAlive()).as(worker.log()).isTrue());
			assertThat(this.redis.opsForSet().size("tqcrash:" + this.run + ":ready")).isGreaterThanOrEqualTo(count);
		});
	}

	/** Wait until {@code done} tasks succeeded, then SIGKILL the worker; returns how many it may have held. */
	private int killWhenDone(WorkerProcess worker, List<AsyncResult> results, int done) throws Exception {
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
			.until(() -> succeeded(results) >= done);
		worker.kill9();
		return CONCURRENCY;
	}

	private long succeeded(List<AsyncResult> results) {
		List<String> keys = results.stream().map((result) -> "celery-task-meta-" + result.id()).toList();
		List<String> values = this.redis.opsForValue().multiGet(keys);
		return values.stream().filter((value) -> value != null && value.contains("\"" + TaskState.SUCCESS + "\"")).count();
	}

}
