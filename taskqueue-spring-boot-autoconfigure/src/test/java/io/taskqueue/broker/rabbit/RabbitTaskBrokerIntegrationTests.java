package io.taskqueue.broker.rabbit;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.taskqueue.broker.AbstractTaskBrokerTests;
import io.taskqueue.broker.Delivery;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.protocol.CeleryFixtures;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.protocol.TaskMessage;
import io.taskqueue.rabbit.RabbitTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * The broker contract on a real RabbitMQ, plus Celery's topology and message format both ways.
 */
class RabbitTaskBrokerIntegrationTests extends AbstractTaskBrokerTests {

	private static final JsonMapper mapper = new JsonMapper();

	private static CachingConnectionFactory connectionFactory;

	@BeforeAll
	static void connect() {
		connectionFactory = RabbitTestSupport.connectionFactory();
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected boolean reportsOldestAge() {
		return false;
	}

	@Override
	protected TaskBroker createBroker() {
		return new RabbitTaskBroker(connectionFactory, new RabbitQueueOptions("classic", 10), Clock.systemUTC());
	}

	/** Closing the consumer channel makes RabbitMQ requeue whatever it holds unacknowledged. */
	@Override
	protected TaskBroker reconnect(TaskBroker broker) {
		((RabbitTaskBroker) broker).destroy();
		return createBroker();
	}

	@Override
	protected void destroyBroker(TaskBroker broker) {
		((RabbitTaskBroker) broker).destroy();
		RabbitTestSupport.deleteQueue(connectionFactory, this.queue);
	}

	@Test
	void earlyMessagesTakenTogetherAreDelayedAgainTogetherAndEachArrivesWhenDue() throws Exception {
		// As a Celery producer sends eta tasks: straight to the queue, the eta only in the headers.
		Instant due = Instant.now().plusMillis(1500);
		List<String> ids = List.of("early-1", "early-2", "early-3", "early-4", "early-5");
		for (int i = 0; i < ids.size(); i++) {
			this.broker.publish(new OutboundMessage(this.queue, message(ids.get(i), due.plusMillis(100L * i)), null));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.broker.stats(this.queue).ready() == ids.size());
		assertThat(this.broker.poll(this.queue, 10, Duration.ofMillis(200))).isEmpty();
		List<Delivery> arrived = new ArrayList<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			for (Delivery delivery : this.broker.poll(this.queue, 10, Duration.ofMillis(100))) {
				Instant eta = due.plusMillis(100L * ids.indexOf(delivery.message().taskId()));
				assertThat(Instant.now()).isAfterOrEqualTo(eta.minus(RabbitDelays.TOLERANCE));
				arrived.add(delivery);
				this.broker.ack(delivery);
			}
			return arrived.size() == ids.size();
		});
		assertThat(arrived).extracting((delivery) -> delivery.message().taskId())
			.containsExactlyInAnyOrderElementsOf(ids);
	}

	@Test
	void aBatchOfPublishesGoesOutInAFewSocketWritesAndItsDeclarationsAreNotHeldBack() throws Exception {
		AtomicInteger writes = new AtomicInteger();
		CachingConnectionFactory counted = RabbitTestSupport.connectionFactory();
		DeferringSocketFactory counting = new DeferringSocketFactory((out) -> new FilterOutputStream(out) {

			@Override
			public void write(byte[] bytes, int offset, int length) throws IOException {
				writes.incrementAndGet();
				this.out.write(bytes, offset, length);
			}

		});
		counted.getRabbitConnectionFactory().setSocketFactory(counting);
		RabbitTaskBroker publisher = new RabbitTaskBroker(counted, new RabbitQueueOptions("classic", 10),
				Clock.systemUTC());
		String fresh = this.queue + "-batch";
		try {
			publisher.publish(new OutboundMessage(this.queue, message("connects", null), null));
			List<OutboundMessage> batch = new ArrayList<>();
			for (int i = 0; i < 63; i++) {
				batch.add(new OutboundMessage(fresh, message("batch-" + i, null), null));
			}
			// a fresh queue and a delay step: declarations, which wait for their replies, in the same call
			batch.add(new OutboundMessage(fresh, message("later", null), Instant.now().plusSeconds(60)));
			int before = writes.get();
			assertTimeoutPreemptively(Duration.ofSeconds(30), () -> publisher.publishAll(batch));
			assertThat(writes.get() - before).isLessThan(16);
			await().atMost(Duration.ofSeconds(5)).until(() -> publisher.stats(fresh).ready() == 63);
		}
		finally {
			publisher.destroy();
			counted.destroy();
			RabbitTestSupport.deleteQueue(connectionFactory, fresh);
		}
	}

	@Test
	void declaresAsCeleryDoesADirectExchangeAndQueueNamedAfterTheQueue() throws Exception {
		try (var connection = connectionFactory.createConnection()) {
			Channel channel = connection.createChannel(false);
			channel.exchangeDeclarePassive(this.queue);
			assertThat(channel.queueDeclarePassive(this.queue).getMessageCount()).isZero();
			channel.basicPublish(this.queue, this.queue, new AMQP.BasicProperties(), "x".getBytes());
			await().atMost(Duration.ofSeconds(5)).until(() -> channel.queueDeclarePassive(this.queue).getMessageCount() == 1);
			channel.close();
		}
	}

	@Test
	void publishingToAQueueNoWorkerDeclaredYetDeclaresItInsteadOfDroppingTheMessage() throws Exception {
		String fresh = this.queue + "-fresh";
		try {
			this.broker.publish(new OutboundMessage(fresh, message("early", null), null));
			try (var connection = connectionFactory.createConnection()) {
				Channel channel = connection.createChannel(false);
				assertThat(channel.queueDeclarePassive(fresh).getMessageCount()).isEqualTo(1);
				channel.close();
			}
		}
		finally {
			RabbitTestSupport.deleteQueue(connectionFactory, fresh);
		}
	}

	@Test
	void withEmptyHeadersPublishesWhatACeleryProducerPublishes() throws Exception {
		CeleryMessageCodec codec = new CeleryMessageCodec(mapper, 1 << 20, true);
		TaskMessage message = TaskMessage.builder("interop.add", "amqp-1").args(List.of(2)).kwargs(Map.of("y", 3))
			.replyTo("reply").build();
		this.broker.publish(new OutboundMessage(this.queue, codec.encode(message), null));
		JsonNode celery = CeleryFixtures.read("amqp-task-plain").get("as_consumed_basic_get").get(0).get("properties");
		try (var connection = connectionFactory.createConnection()) {
			Channel channel = connection.createChannel(false);
			GetResponse response = channel.basicGet(this.queue, true);
			AMQP.BasicProperties properties = response.getProps();
			assertThat(properties.getContentType()).isEqualTo(celery.get("content_type").asString());
			assertThat(properties.getContentEncoding()).isEqualTo(celery.get("content_encoding").asString());
			assertThat(properties.getDeliveryMode()).isEqualTo(celery.get("delivery_mode").asInt());
			assertThat(properties.getPriority()).isZero();
			assertThat(properties.getCorrelationId()).isEqualTo("amqp-1");
			List<String> celeryHeaders = new ArrayList<>();
			celery.get("application_headers").propertyNames().forEach(celeryHeaders::add);
			assertThat(properties.getHeaders().keySet()).containsAll(celeryHeaders);
			assertThat(properties.getHeaders().get("timelimit")).isInstanceOf(List.class);
			assertThat(properties.getHeaders().get("retries")).isEqualTo(0);
			assertThat(response.getEnvelope().getExchange()).isEmpty();
			assertThat(response.getEnvelope().getRoutingKey()).isEqualTo(this.queue);
			assertThat(mapper.readTree(response.getBody()))
				.isEqualTo(CeleryFixtures.read("amqp-task-plain").get("as_consumed_basic_get").get(0).get("body_decoded"));
			channel.close();
		}
	}

	@Test
	void consumesWhatACeleryProducerPublished() throws Exception {
		JsonNode celery = CeleryFixtures.read("amqp-task-plain").get("as_consumed_basic_get").get(0);
		JsonNode properties = celery.get("properties");
		Map<String, Object> headers = new LinkedHashMap<>();
		properties.get("application_headers").properties()
			.forEach((entry) -> headers.put(entry.getKey(), mapper.convertValue(entry.getValue(), Object.class)));
		try (var connection = connectionFactory.createConnection()) {
			Channel channel = connection.createChannel(false);
			channel.basicPublish("", this.queue, new AMQP.BasicProperties.Builder()
				.contentType(properties.get("content_type").asString())
				.contentEncoding(properties.get("content_encoding").asString())
				.correlationId(properties.get("correlation_id").asString())
				.replyTo(properties.get("reply_to").asString())
				.deliveryMode(2)
				.priority(0)
				.headers(headers)
				.build(), celery.get("body_text").asString().getBytes(StandardCharsets.UTF_8));
			channel.close();
		}
		Delivery delivery = this.broker.poll(this.queue, 1, Duration.ofSeconds(5)).get(0);
		TaskMessage message = new CeleryMessageCodec(mapper, 1 << 20).decode(delivery.message());
		assertThat(message.task()).isEqualTo("interop.add");
		assertThat(message.id()).isEqualTo(properties.get("correlation_id").asString());
		assertThat(message.kwargs()).isEqualTo(Map.of("y", 3));
		assertThat(message.hardTimeLimit()).isNull();
		this.broker.ack(delivery);
	}

	@Test
	void deadLettersGoToADurableQueueWithTheReason() throws Exception {
		this.broker.publish(new OutboundMessage(this.queue, message("poison", null), null));
		this.broker.deadLetter(this.broker.poll(this.queue, 1, Duration.ofSeconds(5)).get(0), "undecodable");
		try (var connection = connectionFactory.createConnection()) {
			Channel channel = connection.createChannel(false);
			GetResponse dead = channel.basicGet(RabbitTaskBroker.deadLetterQueue(this.queue), true);
			assertThat(dead.getProps().getHeaders().get("x-taskqueue-reason").toString()).isEqualTo("undecodable");
			assertThat(dead.getProps().getHeaders().get("id").toString()).isEqualTo("poison");
			channel.close();
		}
	}

	@Test
	void acknowledgementsSentLaterNeverSettleAnOlderMessageStillBeingWorkedOn() throws Exception {
		for (String id : List.of("first", "slow", "third", "fourth")) {
			this.broker.publish(new OutboundMessage(this.queue, message(id, null), null));
		}
		CachingConnectionFactory separate = RabbitTestSupport.connectionFactory();
		RabbitTaskBroker worker = new RabbitTaskBroker(separate, new RabbitQueueOptions("classic", 10),
				Clock.systemUTC());
		List<Delivery> taken = new ArrayList<>();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> taken.addAll(worker.poll(this.queue, 4, Duration.ofMillis(200))) && taken.size() == 4);
		assertThat(taken).extracting((delivery) -> delivery.message().taskId())
			.containsExactly("first", "slow", "third", "fourth");
		worker.ackLater(taken.get(3));
		worker.ackLater(taken.get(0));
		worker.ackLater(taken.get(2));
		// Closing the broker sends what is pending; losing the connection then makes RabbitMQ requeue
		// whatever is still unacknowledged.
		worker.destroy();
		separate.destroy();
		List<String> redelivered = new ArrayList<>();
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() -> {
			this.broker.poll(this.queue, 4, Duration.ofMillis(100)).forEach((delivery) -> {
				redelivered.add(delivery.message().taskId());
				this.broker.ack(delivery);
			});
			return redelivered.equals(List.of("slow"));
		});
	}

	@Test
	void aWorkerThatDisconnectsWithoutAckingLeavesItsMessagesToOthers() throws Exception {
		this.broker.publish(new OutboundMessage(this.queue, message("held", null), null));
		RabbitTaskBroker crashing = (RabbitTaskBroker) createBroker();
		CachingConnectionFactory separate = RabbitTestSupport.connectionFactory();
		RabbitTaskBroker onItsOwnConnection = new RabbitTaskBroker(separate, new RabbitQueueOptions("classic", 10),
				Clock.systemUTC());
		assertThat(onItsOwnConnection.poll(this.queue, 1, Duration.ofSeconds(5))).hasSize(1);
		separate.destroy();
		List<Delivery> again = new ArrayList<>();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> again.addAll(crashing.poll(this.queue, 1, Duration.ofMillis(200))));
		assertThat(again.get(0).message().taskId()).isEqualTo("held");
		assertThat(again.get(0).redelivered()).isTrue();
		crashing.ack(again.get(0));
		crashing.destroy();
	}

	@Test
	void aQueueVersionIsDeclaredOnTheTaskQueueAndItsMessagesFlowAsUsual() throws Exception {
		String versioned = this.queue + "-v2";
		RabbitTaskBroker broker = new RabbitTaskBroker(connectionFactory, new RabbitQueueOptions("classic", null, 2),
				Clock.systemUTC());
		try {
			broker.publish(new OutboundMessage(versioned, message("v2", null), null));
			List<Delivery> received = broker.poll(versioned, 1, Duration.ofSeconds(5));
			assertThat(received).extracting((delivery) -> delivery.message().taskId()).containsExactly("v2");
			broker.ack(received.get(0));
			try (var connection = connectionFactory.createConnection()) {
				Channel same = connection.createChannel(false);
				same.queueDeclare(versioned, true, false, false, Map.of("x-queue-version", 2));
				same.close();
				Channel without = connection.createChannel(false);
				assertThatExceptionOfType(IOException.class)
					.isThrownBy(() -> without.queueDeclare(versioned, true, false, false, Map.of()))
					.havingRootCause()
					.withMessageContaining("inequivalent arg 'x-queue-version'");
			}
		}
		finally {
			broker.destroy();
			RabbitTestSupport.deleteQueue(connectionFactory, versioned);
		}
	}

}
