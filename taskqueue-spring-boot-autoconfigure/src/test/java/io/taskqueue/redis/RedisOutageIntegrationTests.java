package io.taskqueue.redis;

import java.time.Duration;

import io.taskqueue.actuate.TaskQueueHealthIndicator;
import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.autoconfigure.redis.RedisResultBackendAutoConfiguration;
import io.taskqueue.autoconfigure.redis.RedisTaskBrokerAutoConfiguration;
import io.taskqueue.core.TaskPublishException;
import io.taskqueue.core.TaskTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Redis goes away while the application runs and comes back: producers fail fast with a clear
 * exception, health reports DOWN meanwhile, and the worker consumes again without a restart.
 */
class RedisOutageIntegrationTests {

	@Test
	void producersFailFastHealthTellsTheTruthAndWorkersResume() throws Exception {
		try (RedisServerProcess server = RedisServerProcess.startOnFreePort()) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
						RedisTaskBrokerAutoConfiguration.class, RedisResultBackendAutoConfiguration.class))
				.withConfiguration(TaskQueueTestConfigurations.all())
				.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port(),
						"spring.data.redis.timeout=1s", "spring.data.redis.connect-timeout=1s",
						"taskqueue.broker.type=redis", "taskqueue.result-backend.type=redis",
						"taskqueue.worker.poll-timeout=500ms")
				.withBean(Tasks.class)
				.run((context) -> {
					TaskTemplate tasks = context.getBean(TaskTemplate.class);
					TaskQueueHealthIndicator health = context.getBean(TaskQueueHealthIndicator.class);
					assertThat(tasks.send("outage.echo", "before").get(Duration.ofSeconds(10))).isEqualTo("before");
					assertThat(health.health().getStatus()).isEqualTo(Status.UP);

					server.stop();
					assertThatExceptionOfType(TaskPublishException.class)
						.isThrownBy(() -> tasks.send("outage.echo", "during"))
						.withMessageContaining("Could not publish task 'outage.echo'")
						.withMessageContaining("to queue 'celery'");
					await().atMost(Duration.ofSeconds(20))
						.until(() -> health.health().getStatus().equals(Status.DOWN));

					server.start();
					await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.UP));
					await().atMost(Duration.ofSeconds(30))
						.ignoreExceptions()
						.until(() -> "after".equals(tasks.send("outage.echo", "after").get(Duration.ofSeconds(5))));
				});
		}
	}

	static class Tasks {

		@TaskListener("outage.echo")
		String echo(String text) {
			return text;
		}

	}

}
