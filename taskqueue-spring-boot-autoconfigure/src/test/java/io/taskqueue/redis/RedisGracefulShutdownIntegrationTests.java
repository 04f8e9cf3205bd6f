package io.taskqueue.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.autoconfigure.redis.RedisResultBackendAutoConfiguration;
import io.taskqueue.autoconfigure.redis.RedisTaskBrokerAutoConfiguration;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker is shut down in the middle of a burst: it finishes what it runs, takes nothing more, and
 * a second worker completes the rest; every task runs exactly once.
 */
class RedisGracefulShutdownIntegrationTests {

	private static final int TASKS = 40;

	private static final AtomicInteger executions = new AtomicInteger();

	private final String prefix = "tqshutdown-" + UUID.randomUUID() + ":";

	private final ApplicationContextRunner worker = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				RedisTaskBrokerAutoConfiguration.class, RedisResultBackendAutoConfiguration.class))
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(RedisTestSupport.springProperties())
		.withPropertyValues("taskqueue.broker.type=redis", "taskqueue.result-backend.type=redis",
				"taskqueue.redis.key-prefix=" + this.prefix, "taskqueue.worker.concurrency=4",
				"taskqueue.worker.shutdown-timeout=10s")
		.withBean(Tasks.class);

	@AfterEach
	void cleanUp() {
		LettuceConnectionFactory factory = RedisTestSupport.connectionFactory();
		RedisTestSupport.deleteKeys(factory, this.prefix + "*");
		factory.destroy();
	}

	@Test
	void shuttingDownMidBurstLosesAndDuplicatesNothing() {
		executions.set(0);
		List<String> ids = new ArrayList<>();
		this.worker.run((first) -> {
			TaskTemplate tasks = first.getBean(TaskTemplate.class);
			for (int i = 0; i < TASKS; i++) {
				ids.add(tasks.send("shutdown.work", i).id());
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> executions.get() >= 8);
		});
		int doneByFirst = executions.get();
		assertThat(doneByFirst).isLessThan(TASKS);
		this.worker.run((second) -> {
			TaskTemplate tasks = second.getBean(TaskTemplate.class);
			for (int i = 0; i < TASKS; i++) {
				AsyncResult result = tasks.result(ids.get(i));
				assertThat(result.get(Duration.ofSeconds(30))).isEqualTo(i);
			}
		});
		assertThat(executions).hasValue(TASKS);
	}

	static class Tasks {

		@TaskListener("shutdown.work")
		int work(int index) throws InterruptedException {
			// Work that is still running when shutdown starts: the behaviour under test, not a wait.
			Thread.sleep(100);
			executions.incrementAndGet();
			return index;
		}

	}

}
