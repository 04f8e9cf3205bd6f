package io.taskqueue.rabbit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.autoconfigure.rabbit.RabbitTaskBrokerAutoConfiguration;
import io.taskqueue.autoconfigure.redis.RedisResultBackendAutoConfiguration;
import io.taskqueue.broker.rabbit.RabbitTaskBroker;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskFailedException;
import io.taskqueue.core.TaskState;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.protocol.CeleryTime;
import io.taskqueue.redis.RedisTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Producer, RabbitMQ and worker in one application with results in Redis: tasks run, delays are held
 * by RabbitMQ (also for Celery messages with a future eta), and poison messages are dead-lettered.
 */
class RabbitWorkerIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final String queue = "tqworker-" + UUID.randomUUID();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RabbitTaskBrokerAutoConfiguration.class, RedisResultBackendAutoConfiguration.class))
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN)
		.withPropertyValues(RabbitTestSupport.springProperties())
		.withPropertyValues(RedisTestSupport.springProperties())
		.withPropertyValues("taskqueue.broker.type=rabbit", "taskqueue.result-backend.type=redis",
				"taskqueue.default-queue=" + this.queue, "taskqueue.worker.concurrency=2")
		.withBean(Tasks.class);

	@Test
	void aTaskTravelsThroughRabbitMqAndItsResultComesBack() {
		run((context) -> {
			AsyncResult result = template(context).send("rabbit.add", 20, 22);
			assertThat(result.get(WAIT, Integer.class)).isEqualTo(42);
			assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
		});
	}

	@Test
	void aRetryIsRepublishedThroughRabbitMqWithItsCountdown() {
		run((context) -> {
			AsyncResult result = template(context).send("rabbit.flaky");
			assertThat(result.get(WAIT)).isEqualTo("retried 1 time(s)");
		});
	}

	@Test
	void aCountdownTaskIsHeldByRabbitMqUntilDue() {
		run((context) -> {
			Instant due = Instant.now().plusSeconds(2);
			AsyncResult result = template(context).task("rabbit.now").eta(due).send();
			long ranAt = result.get(WAIT, Long.class);
			assertThat(Instant.ofEpochMilli(ranAt)).isAfterOrEqualTo(due).isBefore(due.plusSeconds(5));
		});
	}

	@Test
	void aCeleryMessageWithAFutureEtaRunsAtItsEta() {
		run((context) -> {
			String id = UUID.randomUUID().toString();
			Instant eta = Instant.now().plusSeconds(2);
			Map<String, Object> headers = new LinkedHashMap<>();
			headers.put("lang", "py");
			headers.put("task", "rabbit.now");
			headers.put("id", id);
			headers.put("eta", CeleryTime.format(eta));
			headers.put("retries", 0);
			publishRaw(context, headers, "application/json", "[[], {}, {\"callbacks\": null}]");
			long ranAt = template(context).result(id).get(WAIT, Long.class);
			assertThat(Instant.ofEpochMilli(ranAt)).isAfterOrEqualTo(eta);
		});
	}

	@Test
	void aPoisonMessageIsDeadLetteredWithItsReasonNotRequeued() {
		run((context) -> {
			String id = UUID.randomUUID().toString();
			publishRaw(context, Map.of("task", "rabbit.add", "id", id), "application/json", "[[1, 2], {");
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> template(context).result(id).get(WAIT))
				.satisfies((ex) -> assertThat(ex.getRemoteMessage()).contains("not valid JSON"));
			await().atMost(WAIT).untilAsserted(() -> {
				GetResponse dead = withChannel(context,
						(channel) -> channel.basicGet(RabbitTaskBroker.deadLetterQueue(this.queue), true));
				assertThat(dead).isNotNull();
				assertThat(dead.getProps().getHeaders().get("x-taskqueue-reason").toString())
					.contains("Body is not valid JSON");
			});
			assertThat(template(context).send("rabbit.add", 1, 1).get(WAIT)).isEqualTo(2);
		});
	}

	/** Publish as a Celery producer does: declare the queue, then publish to the default exchange. */
	private void publishRaw(AssertableApplicationContext context, Map<String, Object> headers, String contentType,
			String body) {
		withChannel(context, (channel) -> {
			channel.exchangeDeclare(this.queue, "direct", true);
			channel.queueDeclare(this.queue, true, false, false, null);
			channel.queueBind(this.queue, this.queue, this.queue);
			channel.basicPublish("", this.queue, new AMQP.BasicProperties.Builder().contentType(contentType)
				.contentEncoding("utf-8")
				.deliveryMode(2)
				.headers(headers)
				.build(), body.getBytes(StandardCharsets.UTF_8));
			return null;
		});
	}

	private static <T> T withChannel(AssertableApplicationContext context, ChannelCallback<T> callback) {
		try (var connection = context.getBean(ConnectionFactory.class).createConnection()) {
			Channel channel = connection.createChannel(false);
			try {
				return callback.apply(channel);
			}
			finally {
				channel.close();
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void run(org.springframework.boot.test.context.runner.ContextConsumer<AssertableApplicationContext> test) {
		this.runner.run((context) -> {
			try {
				test.accept(context);
			}
			finally {
				withChannel(context, (channel) -> {
					channel.queueDelete(this.queue);
					channel.queueDelete(RabbitTaskBroker.deadLetterQueue(this.queue));
					channel.exchangeDelete(this.queue);
					return null;
				});
			}
		});
	}

	private static TaskTemplate template(AssertableApplicationContext context) {
		return context.getBean(TaskTemplate.class);
	}

	@FunctionalInterface
	interface ChannelCallback<T> {

		T apply(Channel channel) throws Exception;

	}

	static class Tasks {

		@TaskListener("rabbit.add")
		int add(int x, int y) {
			return x + y;
		}

		@TaskListener("rabbit.now")
		long now() {
			return System.currentTimeMillis();
		}

		@TaskListener(name = "rabbit.flaky", autoRetryFor = IllegalStateException.class, defaultRetryDelay = "300ms")
		String flaky(io.taskqueue.core.TaskContext context) {
			if (context.retries() == 0) {
				throw new IllegalStateException("first attempt fails");
			}
			return "retried " + context.retries() + " time(s)";
		}

	}

}
