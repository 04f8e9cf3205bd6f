package io.taskqueue.rabbit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.taskqueue.actuate.TaskQueueHealthIndicator;
import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.autoconfigure.rabbit.RabbitTaskBrokerAutoConfiguration;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskPublishException;
import io.taskqueue.core.TaskTemplate;
import org.jspecify.annotations.Nullable;
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
 * consumes again by itself. RabbitMQ raises a memory alarm and blocks publishers: asynchronous sends
 * stop at their bound and lose nothing. Needs {@code rabbitmqctl} for the local broker (CI's machine
 * has it).
 */
class RabbitOutageIntegrationTests {

	private static final Pattern RELATIVE_WATERMARK = Pattern
		.compile("Memory high watermark setting: ([0-9.]+) of available memory");

	@Test
	void producersFailClearlyHealthTellsTheTruthAndConsumersRecover() throws Exception {
		assumeThat(rabbitmqctl("status")).as("rabbitmqctl controls the local RabbitMQ").isNotNull();
		String queue = "tqoutage-" + UUID.randomUUID();
		runner(queue).run((context) -> {
			TaskTemplate tasks = context.getBean(TaskTemplate.class);
			TaskQueueHealthIndicator health = context.getBean(TaskQueueHealthIndicator.class);
			try {
				assertThat(tasks.send("outage.echo", "before").get(Duration.ofSeconds(10))).isEqualTo("before");
				assertThat(rabbitmqctl("stop_app")).isNotNull();
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
				assertThat(rabbitmqctl("start_app")).isNotNull();
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> health.health().getStatus().equals(Status.UP));
			await().atMost(Duration.ofSeconds(60))
				.ignoreExceptions()
				.until(() -> "after".equals(tasks.send("outage.echo", "after").get(Duration.ofSeconds(5))));
			// the broker's publishing thread got over the outage too
			AsyncResult handedOver = tasks.task("outage.echo").args("after").sendAsync().get(10, TimeUnit.SECONDS);
			assertThat(handedOver.get(Duration.ofSeconds(10))).isEqualTo("after");
			RabbitTestSupport.deleteQueue(context.getBean(ConnectionFactory.class), queue);
		});
	}

	/**
	 * A memory alarm makes RabbitMQ stop reading from publishing connections: asynchronous sends stay
	 * unconfirmed, the one beyond taskqueue.producer.max-pending-sends fails once its wait is over,
	 * and those held back are confirmed and run once the alarm clears.
	 */
	@Test
	void aBrokerThatBlocksPublishersHoldsAsynchronousSendsAtTheirBoundAndLosesNone() throws Exception {
		String watermark = relativeWatermark();
		String queue = "tqblocked-" + UUID.randomUUID();
		runner(queue).withPropertyValues("taskqueue.producer.max-pending-sends=2",
				"taskqueue.producer.pending-sends-wait=1s")
			.run((context) -> {
				TaskTemplate tasks = context.getBean(TaskTemplate.class);
				assertThat(tasks.send("outage.echo", "before").get(Duration.ofSeconds(10))).isEqualTo("before");
				CompletableFuture<AsyncResult> first;
				CompletableFuture<AsyncResult> second;
				// the alarm must clear within taskqueue.rabbit.confirm-timeout (10 s), or the held sends
				// fail; here it clears after the third send's 1 s wait and two rabbitmqctl calls
				try {
					raiseMemoryAlarm();
					first = tasks.task("outage.echo").args("first").sendAsync();
					second = tasks.task("outage.echo").args("second").sendAsync();
					assertThatExceptionOfType(ExecutionException.class)
						.isThrownBy(() -> tasks.task("outage.echo").args("third").sendAsync().get(30, TimeUnit.SECONDS))
						.withCauseInstanceOf(TaskPublishException.class)
						.withMessageContaining("2 messages sent with sendAsync are still waiting for the broker");
					assertThat(first).as("held back by the blocked broker").isNotDone();
					assertThat(second).as("held back by the blocked broker").isNotDone();
				}
				finally {
					clearMemoryAlarm(watermark);
				}
				assertThat(first.get(30, TimeUnit.SECONDS).get(Duration.ofSeconds(10))).isEqualTo("first");
				assertThat(second.get(30, TimeUnit.SECONDS).get(Duration.ofSeconds(10))).isEqualTo("second");
				RabbitTestSupport.deleteQueue(context.getBean(ConnectionFactory.class), queue);
			});
	}

	/**
	 * A memory alarm holds a synchronous send's publisher confirm: the send fails once
	 * taskqueue.rabbit.confirm-timeout is over, saying so, and so does the next one, which finds the
	 * connection blocked; the producer sends again once the alarm clears. The message written before
	 * the alarm blocked the connection is read then and runs anyway (at-least-once: a caller that
	 * sends it again runs it twice).
	 */
	@Test
	void aSendWhoseConfirmDoesNotComeInTimeFailsNamingTheTimeout() throws Exception {
		String watermark = relativeWatermark();
		String queue = "tqunconfirmed-" + UUID.randomUUID();
		runner(queue).withPropertyValues("taskqueue.rabbit.confirm-timeout=1s").run((context) -> {
			TaskTemplate tasks = context.getBean(TaskTemplate.class);
			assertThat(tasks.send("outage.echo", "before").get(Duration.ofSeconds(10))).isEqualTo("before");
			String unconfirmed = UUID.randomUUID().toString();
			try {
				raiseMemoryAlarm();
				// closing the unconfirmed channel waits for a reply the blocked connection gets only when
				// the alarm clears: the send must not wait for that (up to the channel RPC timeout, 10 min)
				assertThat(CompletableFuture
					.supplyAsync(() -> tasks.task("outage.echo").args("unconfirmed").taskId(unconfirmed).send()))
					.failsWithin(Duration.ofSeconds(30))
					.withThrowableOfType(ExecutionException.class)
					.withCauseInstanceOf(TaskPublishException.class)
					.withMessageContaining("no publisher confirm within PT1S (taskqueue.rabbit.confirm-timeout)");
				// RabbitMQ has told the connection it blocks it: the next send neither writes to it nor
				// opens a channel on it, which would also wait for a reply
				assertThat(CompletableFuture.supplyAsync(() -> tasks.send("outage.echo", "blocked")))
					.failsWithin(Duration.ofSeconds(30))
					.withThrowableOfType(ExecutionException.class)
					.withCauseInstanceOf(TaskPublishException.class)
					.withMessageContaining("RabbitMQ has blocked publishing (low on memory)");
			}
			finally {
				clearMemoryAlarm(watermark);
			}
			await().atMost(Duration.ofSeconds(60))
				.ignoreExceptions()
				.until(() -> "after".equals(tasks.send("outage.echo", "after").get(Duration.ofSeconds(5))));
			assertThat(tasks.result(unconfirmed).get(Duration.ofSeconds(30))).isEqualTo("unconfirmed");
			RabbitTestSupport.deleteQueue(context.getBean(ConnectionFactory.class), queue);
		});
	}

	/**
	 * taskqueue.producer.delivery-mode=transient trades durability for RabbitMQ's CPU: a task still
	 * queued when RabbitMQ restarts is gone, where a persistent one (the default) is still there.
	 */
	@Test
	void aRestartOfRabbitMqLosesQueuedTransientTasksAndKeepsPersistentOnes() throws Exception {
		assumeThat(rabbitmqctl("status")).as("rabbitmqctl controls the local RabbitMQ").isNotNull();
		String persistentQueue = "tqpersistent-" + UUID.randomUUID();
		String transientQueue = "tqtransient-" + UUID.randomUUID();
		runner(persistentQueue).withPropertyValues("taskqueue.worker.enabled=false").run((persistent) -> {
			ConnectionFactory connectionFactory = persistent.getBean(ConnectionFactory.class);
			runner(transientQueue)
				.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.producer.delivery-mode=transient")
				.run((transientSender) -> {
					persistent.getBean(TaskTemplate.class).send("outage.echo", "kept");
					transientSender.getBean(TaskTemplate.class).send("outage.echo", "lost");
					assertThat(RabbitTestSupport.messageCount(connectionFactory, persistentQueue)).isOne();
					assertThat(RabbitTestSupport.messageCount(connectionFactory, transientQueue)).isOne();
				});
			try {
				assertThat(rabbitmqctl("stop_app")).isNotNull();
			}
			finally {
				assertThat(rabbitmqctl("start_app")).isNotNull();
			}
			await().atMost(Duration.ofSeconds(60))
				.ignoreExceptions()
				.until(() -> RabbitTestSupport.messageCount(connectionFactory, persistentQueue) == 1);
			assertThat(RabbitTestSupport.messageCount(connectionFactory, transientQueue)).isZero();
			RabbitTestSupport.deleteQueue(connectionFactory, persistentQueue);
			RabbitTestSupport.deleteQueue(connectionFactory, transientQueue);
		});
	}

	private static ApplicationContextRunner runner(String queue) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class,
					RabbitTaskBrokerAutoConfiguration.class))
			.withConfiguration(TaskQueueTestConfigurations.all())
			.withPropertyValues(RabbitTestSupport.springProperties())
			.withPropertyValues("taskqueue.broker.type=rabbit", "taskqueue.default-queue=" + queue,
					"taskqueue.worker.poll-timeout=500ms", "spring.rabbitmq.connection-timeout=2s")
			.withBean(Tasks.class);
	}

	/**
	 * Return RabbitMQ's memory watermark, to set back after an alarm; skip the test unless
	 * {@code rabbitmqctl} controls the local broker and the watermark is relative.
	 */
	private static String relativeWatermark() {
		String status = rabbitmqctl("status");
		assumeThat(status).as("rabbitmqctl controls the local RabbitMQ").isNotNull();
		Matcher watermark = RELATIVE_WATERMARK.matcher(status);
		assumeThat(watermark.find()).as("the memory watermark is relative, so it can be set back").isTrue();
		return watermark.group(1);
	}

	/** Set RabbitMQ's memory watermark back to {@code watermark}, clearing the alarm. */
	private static void clearMemoryAlarm(String watermark) {
		assertThat(rabbitmqctl("set_vm_memory_high_watermark", watermark)).isNotNull();
	}

	/**
	 * Set RabbitMQ's memory watermark to one byte, and wait until the node reports the alarm
	 * ({@code rabbitmqctl} returns before it does).
	 */
	private static void raiseMemoryAlarm() {
		assertThat(rabbitmqctl("set_vm_memory_high_watermark", "absolute", "1")).isNotNull();
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			String alarms = run("rabbitmq-diagnostics", "-q", "alarms");
			return alarms != null && alarms.contains("Memory alarm");
		});
	}

	/** Run {@code rabbitmqctl} and return what it printed, or {@code null} if it could not or failed. */
	private static @Nullable String rabbitmqctl(String... arguments) {
		List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
		command.addAll(List.of(arguments));
		return run(command.toArray(String[]::new));
	}

	/** Run a command and return what it printed, or {@code null} if it could not or failed. */
	private static @Nullable String run(String... command) {
		@Nullable Path output = null;
		try {
			output = Files.createTempFile("rabbitmqctl", ".out");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return null;
			}
			return (process.exitValue() == 0) ? Files.readString(output) : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		finally {
			if (output != null) {
				output.toFile().delete();
			}
		}
	}

	static class Tasks {

		@TaskListener("outage.echo")
		String echo(String text) {
			return text;
		}

	}

}
