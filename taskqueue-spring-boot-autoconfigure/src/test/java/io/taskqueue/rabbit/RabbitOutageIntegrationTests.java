package io.taskqueue.rabbit;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.taskqueue.actuate.TaskQueueHealthIndicator;
import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.autoconfigure.rabbit.RabbitTaskBrokerAutoConfiguration;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskPublishException;
import io.taskqueue.core.TaskTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * RabbitMQ stops (its application, with {@code rabbitmqctl stop_app}) while the application runs and
 * starts again: producers fail with a clear exception, health reports DOWN meanwhile, and the worker
 * consumes again by itself. Needs {@code rabbitmqctl} for the local broker (CI's machine has it).
 */
class RabbitOutageIntegrationTests {

	@Test
	void producersFailClearlyHealthTellsTheTruthAndConsumersRecover() throws Exception {
		assumeThat(rabbitmqctl("status")).as("rabbitmqctl controls the local RabbitMQ").isTrue();
		String queue = "tqoutage-" + UUID.randomUUID();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class,
					RabbitTaskBrokerAutoConfiguration.class))
			.withConfiguration(TaskQueueTestConfigurations.all())
			.withPropertyValues(RabbitTestSupport.springProperties())
			.withPropertyValues("taskqueue.broker.type=rabbit", "taskqueue.default-queue=" + queue,
					"taskqueue.worker.poll-timeout=500ms", "spring.rabbitmq.connection-timeout=2s")
			.withBean(Tasks.class)
			.run((context) -> {
				TaskTemplate tasks = context.getBean(TaskTemplate.class);
				TaskQueueHealthIndicator health = context.getBean(TaskQueueHealthIndicator.class);
				try {
					assertThat(tasks.send("outage.echo", "before").get(Duration.ofSeconds(10))).isEqualTo("before");
					assertThat(rabbitmqctl("stop_app")).isTrue();
					assertThatExceptionOfType(TaskPublishException.class)
						.isThrownBy(() -> tasks.send("outage.echo", "during"))
						.withMessageContaining("Could not publish task 'outage.echo'");
					assertThatExceptionOfType(ExecutionException.class)
						.isThrownBy(() -> tasks.task("outage.echo").args("during").sendAsync().get(60, TimeUnit.SECONDS))
						.withCauseInstanceOf(TaskPublishException.class);
					await().atMost(Duration.ofSeconds(30))
						.until(() -> health.health().getStatus().equals(Status.DOWN));
				}
				finally {
					assertThat(rabbitmqctl("start_app")).isTrue();
				}
				await().atMost(Duration.ofSeconds(60)).until(() -> health.health().getStatus().equals(Status.UP));
				await().atMost(Duration.ofSeconds(60))
					.ignoreExceptions()
					.until(() -> "after".equals(tasks.send("outage.echo", "after").get(Duration.ofSeconds(5))));
				// the broker's publishing thread got over the outage too
				AsyncResult handedOver = tasks.task("outage.echo").args("after").sendAsync().get(10, TimeUnit.SECONDS);
				assertThat(handedOver.get(Duration.ofSeconds(10))).isEqualTo("after");
				try (var connection = context.getBean(ConnectionFactory.class).createConnection()) {
					var channel = connection.createChannel(false);
					channel.queueDelete(queue);
					channel.exchangeDelete(queue);
					channel.close();
				}
			});
	}

	private static boolean rabbitmqctl(String command) {
		try {
			Process process = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static class Tasks {

		@TaskListener("outage.echo")
		String echo(String text) {
			return text;
		}

	}

}
