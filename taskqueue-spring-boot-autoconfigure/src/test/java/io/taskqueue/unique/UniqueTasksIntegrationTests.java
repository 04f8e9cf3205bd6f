package io.taskqueue.unique;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.autoconfigure.redis.RedisResultBackendAutoConfiguration;
import io.taskqueue.autoconfigure.redis.RedisTaskBrokerAutoConfiguration;
import io.taskqueue.autoconfigure.redis.RedisUniqueTaskLocksAutoConfiguration;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.redis.RedisTestSupport;
import io.taskqueue.unique.redis.RedisUniqueTaskLocks;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unique sends racing on the real Redis broker, result backend and claim store.
 */
class UniqueTasksIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final String prefix = "tqunique-" + UUID.randomUUID() + ":";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				RedisTaskBrokerAutoConfiguration.class, RedisResultBackendAutoConfiguration.class,
				RedisUniqueTaskLocksAutoConfiguration.class))
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(RedisTestSupport.springProperties())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN, "taskqueue.broker.type=redis",
				"taskqueue.result-backend.type=redis", "taskqueue.redis.key-prefix=" + this.prefix,
				"taskqueue.default-queue=unique-" + UUID.randomUUID())
		.withBean(Welcome.class);

	@Test
	void fiftyConcurrentSendsOfOneKeyQueueOneTaskAndAllGetItsResult() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RedisUniqueTaskLocks.class);
			TaskTemplate tasks = context.getBean(TaskTemplate.class);
			Welcome welcome = context.getBean(Welcome.class);
			List<AsyncResult> results = race(50, () -> tasks.task("unique.welcome")
				.args("ada@example.com")
				.uniqueKey("ada@example.com", Duration.ofMinutes(1))
				.send());
			Set<String> ids = results.stream().map(AsyncResult::id).collect(Collectors.toSet());
			assertThat(ids).hasSize(1);
			welcome.finish.countDown();
			assertThat(results.get(0).get(WAIT)).isEqualTo("sent to ada@example.com");
			assertThat(welcome.executions).hasValue(1);

			AsyncResult again = tasks.task("unique.welcome")
				.args("ada@example.com")
				.uniqueKey("ada@example.com", Duration.ofMinutes(1))
				.send();
			assertThat(again.id()).as("the first task finished, so the key is free again").isNotIn(ids);
			assertThat(again.get(WAIT)).isEqualTo("sent to ada@example.com");
			assertThat(welcome.executions).hasValue(2);

			AsyncResult other = tasks.task("unique.welcome")
				.args("bob@example.com")
				.uniqueKey("bob@example.com")
				.send();
			assertThat(other.get(WAIT)).isEqualTo("sent to bob@example.com");
		});
		RedisTestSupport.deleteKeys(RedisTestSupport.connectionFactory(), this.prefix + "*");
	}

	@Test
	void fiftyConcurrentSendsOfATaskDeclaredUniqueRunItOnce() {
		this.runner.run((context) -> {
			TaskTemplate tasks = context.getBean(TaskTemplate.class);
			Welcome welcome = context.getBean(Welcome.class);
			AtomicInteger attempt = new AtomicInteger();
			List<AsyncResult> results = race(50,
					() -> tasks.send("unique.declared", "ada@example.com", "attempt " + attempt.incrementAndGet()));
			assertThat(results.stream().map(AsyncResult::id).distinct()).hasSize(1);
			welcome.finish.countDown();
			assertThat(results.get(0).get(WAIT)).isEqualTo("declared for ada@example.com");
			assertThat(welcome.declaredExecutions).hasValue(1);
		});
		RedisTestSupport.deleteKeys(RedisTestSupport.connectionFactory(), this.prefix + "*");
	}

	private static List<AsyncResult> race(int senders, Callable<AsyncResult> send)
			throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(senders);
		try {
			List<Future<AsyncResult>> futures = IntStream.range(0, senders).mapToObj((i) -> pool.submit(() -> {
				start.await();
				return send.call();
			})).toList();
			start.countDown();
			List<AsyncResult> results = new ArrayList<>();
			for (Future<AsyncResult> future : futures) {
				results.add(future.get());
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * Tasks that stay running until {@link #finish} opens, so that every racing send finds the
	 * first one still queued or running (once it finishes, a new send is allowed to run again).
	 */
	static class Welcome {

		final CountDownLatch finish = new CountDownLatch(1);

		final AtomicInteger executions = new AtomicInteger();

		final AtomicInteger declaredExecutions = new AtomicInteger();

		@TaskListener(name = "unique.declared", unique = "#email", uniqueFor = "10m")
		String declared(String email, String note) throws InterruptedException {
			this.declaredExecutions.incrementAndGet();
			this.finish.await(WAIT.toSeconds(), TimeUnit.SECONDS);
			return "declared for " + email;
		}

		@TaskListener("unique.welcome")
		String send(String email) throws InterruptedException {
			this.executions.incrementAndGet();
			this.finish.await(WAIT.toSeconds(), TimeUnit.SECONDS);
			return "sent to " + email;
		}

	}

}
