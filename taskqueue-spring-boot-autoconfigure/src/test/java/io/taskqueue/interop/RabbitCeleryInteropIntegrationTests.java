package io.taskqueue.interop;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.taskqueue.autoconfigure.rabbit.RabbitRemoteControlAutoConfiguration;
import io.taskqueue.autoconfigure.rabbit.RabbitTaskBrokerAutoConfiguration;
import io.taskqueue.core.NodeInfo;
import io.taskqueue.autoconfigure.redis.RedisResultBackendAutoConfiguration;
import io.taskqueue.rabbit.RabbitTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Java and Python Celery sharing RabbitMQ as broker, with results in Redis.
 */
class RabbitCeleryInteropIntegrationTests extends AbstractCeleryInteropTests {

	@BeforeAll
	static void startPythonWorker() throws Exception {
		URI rabbit = RabbitTestSupport.uri();
		startPython("amqp://" + rabbit.getUserInfo() + "@" + rabbit.getHost() + ":" + rabbit.getPort() + "//");
	}

	@Test
	void remoteControlAnswersAgainAfterTheConnectionWasDropped() {
		assumeThat(rabbitmqctl("status")).as("rabbitmqctl controls the local RabbitMQ").isTrue();
		withBroker(new ApplicationContextRunner()
			.withConfiguration(io.taskqueue.autoconfigure.TaskQueueTestConfigurations.all())
			.withConfiguration(AutoConfigurations.of(RabbitRemoteControlAutoConfiguration.class))
			.withPropertyValues(io.taskqueue.autoconfigure.TaskQueueTestConfigurations.FAST_SHUTDOWN)
			.withPropertyValues(io.taskqueue.redis.RedisTestSupport.springProperties())
			.withPropertyValues("taskqueue.result-backend.type=redis", "taskqueue.default-queue=" + JAVA_QUEUE,
					"taskqueue.remote-control.enabled=true")
			.withBean(JavaTasks.class)).run((context) -> {
				String node = NodeInfo.workerName();
				await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
					.until(() -> python.inspect("ping", node).containsKey(node));
				assertThat(rabbitmqctl("close_all_connections", "test")).isTrue();
				await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
					.until(() -> python.inspect("ping", node).containsKey(node));
			});
	}

	private static boolean rabbitmqctl(String... arguments) {
		List<String> command = new java.util.ArrayList<>(List.of("rabbitmqctl"));
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
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

	@Override
	protected ApplicationContextRunner withBroker(ApplicationContextRunner runner) {
		return runner
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
					RabbitTaskBrokerAutoConfiguration.class, RedisResultBackendAutoConfiguration.class))
			.withPropertyValues(RabbitTestSupport.springProperties())
			.withPropertyValues("taskqueue.broker.type=rabbit");
	}

}
