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

		@TaskListener("interop.add")
		int add(int x, int y) {
			return x + y;
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
