package io.taskqueue.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.autoconfigure.redis.RedisResultBackendAutoConfiguration;
import io.taskqueue.autoconfigure.redis.RedisTaskBrokerAutoConfiguration;
import io.taskqueue.broker.redis.RedisTaskBroker;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskState;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.protocol.CeleryFixtures;
import io.taskqueue.protocol.CeleryTime;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Producer, Redis and worker in one application: results travel through Redis, Celery-produced
 * messages run on the Java worker, long tasks are not redelivered, delayed tasks wait in Redis.
 */
class RedisWorkerIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final String prefix = "tqworker-" + UUID.randomUUID() + ":";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				RedisTaskBrokerAutoConfiguration.class, RedisResultBackendAutoConfiguration.class))
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN)
		.withPropertyValues(RedisTestSupport.springProperties())
		.withPropertyValues("taskqueue.broker.type=redis", "taskqueue.result-backend.type=redis",
				"taskqueue.redis.key-prefix=" + this.prefix, "taskqueue.worker.concurrency=2")
		.withBean(Tasks.class);

	@Test
	void aTaskTravelsThroughRedisAndItsResultComesBack() {
		run((context) -> {
			AsyncResult result = template(context).send("interop.add", 2, 3);
			assertThat(result.get(WAIT, Integer.class)).isEqualTo(5);
			assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(result.exists()).isTrue();
		});
	}

	@Test
	void aMessageCapturedFromACeleryProducerRunsOnTheJavaWorker() {
		run((context) -> {
			JsonNode captured = CeleryFixtures.read("redis-task-plain").get("messages").get(0);
			String id = UUID.randomUUID().toString();
			String raw = captured.get("raw").asString().replace("057ddeef-8dc5-457e-a760-c1d2458af94a", id);
			redis(context).opsForList().leftPush(this.prefix + "celery", raw);
			assertThat(template(context).result(id).get(WAIT)).isEqualTo(5);
			JsonNode stored = new JsonMapper().readTree(redis(context).opsForValue().get("celery-task-meta-" + id));
			assertThat(stored.get("status").asString()).isEqualTo("SUCCESS");
			assertThat(stored.get("result").asInt()).isEqualTo(5);
			assertThat(stored.get("task_id").asString()).isEqualTo(id);
		});
	}

	@Test
	void aTaskLongerThanTheVisibilityTimeoutRunsOnceOnALiveWorker() {
		this.runner.withPropertyValues("taskqueue.redis.visibility-timeout=1s").run((context) -> {
			try {
				AsyncResult result = template(context).send("slow.once", 3500);
				assertThat(result.get(WAIT)).isEqualTo(3500);
				assertThat(context.getBean(Tasks.class).slowRuns).hasValue(1);
			}
			finally {
				cleanUp(context);
			}
		});
	}

	@Test
	void aTaskWhoseOutcomeCannotBeStoredIsGivenBackAndRunsAgainOnceItCanBe() {
		this.runner.withPropertyValues("taskqueue.worker.concurrency=1", "taskqueue.worker.max-deliveries=0")
			.run((context) -> {
				String key = "celery-task-meta-" + UUID.randomUUID();
				try {
					// A key of another type: Redis refuses to store the task's outcome over it.
					redis(context).opsForList().leftPush(key, "in the way");
					Tasks tasks = context.getBean(Tasks.class);
					AsyncResult result = template(context).task("counted.add")
						.args(2, 3)
						.taskId(key.substring("celery-task-meta-".length()))
						.send();
					await().atMost(WAIT).until(() -> tasks.countedRuns.get() == 1);
					redis(context).delete(key);
					// With one slot, the task runs again only if the failed store gave it back.
					assertThat(result.get(WAIT)).isEqualTo(5);
					assertThat(tasks.countedRuns).hasValue(2);
				}
				finally {
					redis(context).delete(key);
					cleanUp(context);
				}
			});
	}

	@Test
	void aCountdownTaskWaitsInRedisAndRunsAfterItsDueTime() {
		run((context) -> {
			Instant due = Instant.now().plusSeconds(2);
			AsyncResult result = template(context).task("clock.now").eta(due).send();
			assertThat(context.getBean(RedisTaskBroker.class).stats("celery").delayed()).isEqualTo(1);
			long ranAt = result.get(WAIT, Long.class);
			assertThat(Instant.ofEpochMilli(ranAt)).isAfterOrEqualTo(due).isBefore(due.plusSeconds(5));
		});
	}

	@Test
	void aCeleryMessageWithAFutureEtaIsMovedToRedisNotHeldByTheWorker() {
		run((context) -> {
			JsonMapper mapper = new JsonMapper();
			JsonNode captured = CeleryFixtures.read("redis-task-countdown").get("messages").get(0);
			ObjectNode envelope = (ObjectNode) mapper.readTree(captured.get("raw").asString());
			String id = UUID.randomUUID().toString();
			Instant eta = Instant.now().plusSeconds(2);
			((ObjectNode) envelope.get("headers")).put("id", id).put("eta", CeleryTime.format(eta));
			redis(context).opsForList().leftPush(this.prefix + "celery", mapper.writeValueAsString(envelope));
			await().atMost(WAIT).until(() -> context.getBean(RedisTaskBroker.class).stats("celery").delayed() == 1);
			assertThat(redis(context).opsForHash().size(this.prefix + "unacked")).isZero();
			assertThat(template(context).result(id).get(WAIT)).isEqualTo(5);
		});
	}

	@Test
	void aRetryIsRepublishedThroughRedisWithItsCountdown() {
		run((context) -> {
			AsyncResult result = template(context).send("flaky.once");
			assertThat(result.get(WAIT)).isEqualTo("retried 1 time(s)");
		});
	}

	@Test
	void aRevokedTaskIsSkippedByTheWorker() {
		run((context) -> {
			AsyncResult result = template(context).task("clock.now").countdown(Duration.ofSeconds(1)).send();
			result.revoke();
			await().atMost(WAIT).until(() -> context.getBean(RedisTaskBroker.class).stats("celery").delayed() == 0);
			assertThat(result.state()).isEqualTo(TaskState.REVOKED);
			assertThat(redis(context).opsForValue().get("celery-task-meta-" + result.id())).contains("revoked");
		});
	}

	@Test
	void aChainCapturedFromCeleryRunsStepByStepOnTheJavaWorker() {
		run((context) -> {
			String finalId = "fc0d40a9-49ee-4e6d-b6e2-d18b45271289";
			redis(context).delete(List.of("celery-task-meta-b9bda2af-396d-44e0-b4ee-f3b46d6048e1",
					"celery-task-meta-61ad62c3-ac81-479a-82a7-3c0608031647", "celery-task-meta-" + finalId));
			JsonNode captured = CeleryFixtures.read("redis-task-chain").get("messages").get(0);
			redis(context).opsForList().leftPush(this.prefix + "celery", captured.get("raw").asString());
			assertThat(template(context).result(finalId).get(WAIT)).isEqualTo(35);
			assertThat(template(context).result("61ad62c3-ac81-479a-82a7-3c0608031647").get(WAIT)).isEqualTo(30);
		});
	}

	@Test
	void aChordCapturedFromCeleryIsJoinedWithCeleryCountersAndCallsBackOnce() {
		run((context) -> {
			JsonNode fixture = CeleryFixtures.read("redis-task-chord");
			String groupId = fixture.get("messages").get(0).get("envelope").get("headers").get("group").asString();
			String callbackId = "f1008e67-7b3c-4254-a396-323275998af0";
			String counters = "celery-taskset-meta-" + groupId;
			redis(context).delete(List.of("celery-task-meta-" + callbackId, counters + ".j", counters + ".cb",
					counters + ".ids"));
			redis(context).opsForValue().set(counters + ".s", "2");
			for (JsonNode message : fixture.get("messages")) {
				String id = message.get("envelope").get("headers").get("id").asString();
				redis(context).delete("celery-task-meta-" + id);
				redis(context).opsForList().leftPush(this.prefix + "celery", message.get("raw").asString());
			}
			assertThat(template(context).result(callbackId).get(WAIT)).isEqualTo(6);
			assertThat(context.getBean(Tasks.class).sums).containsExactly(List.of(2, 4));
			assertThat(redis(context).hasKey(counters + ".j")).isFalse();
			assertThat(redis(context).hasKey(counters + ".s")).isFalse();
		});
	}

	@Test
	void aChordOnRedisRecordsItsSizeBeforeItsMembersRun() {
		run((context) -> {
			AsyncResult result = template(context).send(io.taskqueue.core.Canvas.chord(
					io.taskqueue.core.Canvas.group(io.taskqueue.core.Signature.of("interop.add", 1, 2),
							io.taskqueue.core.Signature.of("interop.add", 3, 4)),
					io.taskqueue.core.Signature.of("interop.xsum")));
			assertThat(result.get(WAIT)).isEqualTo(10);
		});
	}

	@Test
	void theDefaultStaysInMemoryEvenWithRedisOnTheClasspath() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisTaskBrokerAutoConfiguration.class, RedisResultBackendAutoConfiguration.class))
			.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RedisTaskBroker.class);
				assertThat(context).hasSingleBean(io.taskqueue.broker.inmemory.InMemoryTaskBroker.class);
			});
	}

	private void run(org.springframework.boot.test.context.runner.ContextConsumer<AssertableApplicationContext> test) {
		this.runner.run((context) -> {
			try {
				test.accept(context);
			}
			finally {
				cleanUp(context);
			}
		});
	}

	private void cleanUp(AssertableApplicationContext context) {
		StringRedisTemplate redis = redis(context);
		List<String> keys = new java.util.ArrayList<>(redis.keys(this.prefix + "*"));
		if (!keys.isEmpty()) {
			redis.delete(keys);
		}
	}

	private static TaskTemplate template(AssertableApplicationContext context) {
		return context.getBean(TaskTemplate.class);
	}

	private static StringRedisTemplate redis(AssertableApplicationContext context) {
		return context.getBean(StringRedisTemplate.class);
	}

	static class Tasks {

		final AtomicInteger slowRuns = new AtomicInteger();

		final List<List<Integer>> sums = new java.util.concurrent.CopyOnWriteArrayList<>();

		@TaskListener("interop.add")
		int add(int x, int y) {
			return x + y;
		}

		final AtomicInteger countedRuns = new AtomicInteger();

		@TaskListener("counted.add")
		int countedAdd(int x, int y) {
			this.countedRuns.incrementAndGet();
			return x + y;
		}

		@TaskListener("interop.mul")
		int mul(int x, int y) {
			return x * y;
		}

		@TaskListener("interop.xsum")
		int xsum(List<Integer> values) {
			this.sums.add(values);
			return values.stream().mapToInt(Integer::intValue).sum();
		}

		@TaskListener("slow.once")
		int slow(int millis) throws InterruptedException {
			this.slowRuns.incrementAndGet();
			Thread.sleep(millis);
			return millis;
		}

		@TaskListener("clock.now")
		long now() {
			return System.currentTimeMillis();
		}

		@TaskListener(name = "flaky.once", autoRetryFor = IllegalStateException.class, defaultRetryDelay = "300ms")
		String flakyOnce(io.taskqueue.core.TaskContext context) {
			if (context.retries() == 0) {
				throw new IllegalStateException("first attempt fails");
			}
			return "retried " + context.retries() + " time(s)";
		}


	}

}
