package io.taskqueue.hardening;

import java.time.Duration;

import io.taskqueue.actuate.TaskQueueHealthIndicator;
import io.taskqueue.actuate.TasksEndpoint;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.autoconfigure.rabbit.RabbitTaskBrokerAutoConfiguration;
import io.taskqueue.autoconfigure.redis.RedisResultBackendAutoConfiguration;
import io.taskqueue.autoconfigure.redis.RedisWorkerRegistryAutoConfiguration;
import io.taskqueue.core.TaskPublishException;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Broker and backend credentials never show up in what taskqueue prints or serves, even while it
 * fails to connect (when connection errors are most tempting to log with the URL): not in log lines,
 * exceptions, health details or the {@code tasks} endpoint.
 */
@ExtendWith(OutputCaptureExtension.class)
class NoSecretsTests {

	private static final String RABBIT_PASSWORD = "rabbit-Pa55-9f2c";

	private static final String REDIS_PASSWORD = "redis-Pa55-77ab";

	@Test
	void credentialsOfUnreachableServicesAreNeverPrintedOrServed(CapturedOutput output) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
					RabbitTaskBrokerAutoConfiguration.class, RedisResultBackendAutoConfiguration.class,
					RedisWorkerRegistryAutoConfiguration.class))
			.withConfiguration(TaskQueueTestConfigurations.all())
			.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN, "taskqueue.broker.type=rabbit",
					"taskqueue.result-backend.type=redis", "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=1",
					"spring.rabbitmq.username=app", "spring.rabbitmq.password=" + RABBIT_PASSWORD,
					"spring.rabbitmq.connection-timeout=200ms", "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=1", "spring.data.redis.password=" + REDIS_PASSWORD,
					"spring.data.redis.timeout=200ms", "spring.data.redis.connect-timeout=200ms",
					"management.endpoints.web.exposure.include=tasks")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThatExceptionOfType(TaskPublishException.class)
					.isThrownBy(() -> context.getBean(TaskTemplate.class).send("any.task"))
					.satisfies((ex) -> assertThat(stackText(ex)).doesNotContain(RABBIT_PASSWORD, REDIS_PASSWORD));
				await().atMost(Duration.ofSeconds(10))
					.until(() -> context.getBean(TaskListenerEndpointRegistry.class)
						.getContainers()
						.stream()
						.anyMatch((container) -> container.getLastError() != null));
				JsonMapper json = new JsonMapper();
				String health = json.writeValueAsString(context.getBean(TaskQueueHealthIndicator.class).health());
				assertThat(health).contains("DOWN").doesNotContain(RABBIT_PASSWORD, REDIS_PASSWORD);
				String tasks = json.writeValueAsString(context.getBean(TasksEndpoint.class).tasks());
				assertThat(tasks).doesNotContain(RABBIT_PASSWORD, REDIS_PASSWORD);
			});
		assertThat(output.getAll()).doesNotContain(RABBIT_PASSWORD, REDIS_PASSWORD);
	}

	private static String stackText(Throwable ex) {
		java.io.StringWriter text = new java.io.StringWriter();
		ex.printStackTrace(new java.io.PrintWriter(text));
		return text.toString();
	}

}
