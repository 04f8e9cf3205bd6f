package io.taskqueue.broker.redis;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.taskqueue.broker.AbstractTaskBrokerTests;
import io.taskqueue.broker.BrokerException;
import io.taskqueue.broker.Delivery;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.protocol.CeleryFixtures;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.protocol.TaskMessage;
import io.taskqueue.redis.RedisTestSupport;
import io.taskqueue.support.redis.LuaScripts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker contract on a real Redis, plus kombu's layout: what Celery writes we read, what we
 * write Celery reads, and the bookkeeping that makes crashes lose nothing.
 */
class RedisTaskBrokerIntegrationTests extends AbstractTaskBrokerTests {

	private static final JsonMapper mapper = new JsonMapper();

	private static LettuceConnectionFactory connectionFactory;

	private final String prefix = "tqtest-" + UUID.randomUUID() + ":";

	private StringRedisTemplate redis;

	@BeforeAll
	static void connect() {
		connectionFactory = RedisTestSupport.connectionFactory();
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected TaskBroker createBroker() {
		this.redis = new StringRedisTemplate(connectionFactory);
		return new RedisTaskBroker(connectionFactory, mapper, this.prefix, Duration.ofSeconds(2), Clock.systemUTC());
	}

	@Override
	protected void destroyBroker(TaskBroker broker) {
		((RedisTaskBroker) broker).destroy();
		RedisTestSupport.deleteKeys(connectionFactory, this.prefix + "*");
	}

	@Override
	protected String expectedFirstOfLowAndHighPriority() {
		return "low";
	}

	@Test
	void publishesKombusEnvelopeToTheQueueList() {
		this.broker.publish(new OutboundMessage(this.queue, message("k1", null), null));
		String raw = this.redis.opsForList().index(this.prefix + this.queue, 0);
		JsonNode envelope = mapper.readTree(raw);
		assertThat(envelope.get("content-type").asString()).isEqualTo("application/json");
		assertThat(envelope.get("content-encoding").asString()).isEqualTo("utf-8");
		assertThat(envelope.get("headers").get("id").asString()).isEqualTo("k1");
		JsonNode properties = envelope.get("properties");
		assertThat(properties.get("body_encoding").asString()).isEqualTo("base64");
		assertThat(properties.get("delivery_tag").asString()).isNotBlank();
		assertThat(properties.get("delivery_info").get("exchange").asString()).isEmpty();
		assertThat(properties.get("delivery_info").get("routing_key").asString()).isEqualTo(this.queue);
		assertThat(new String(java.util.Base64.getDecoder().decode(envelope.get("body").asString()),
				StandardCharsets.UTF_8)).isEqualTo("[[\"k1\"], {}, {}]");
	}

	@Test
	void anAsynchronousPublishReturnsWithoutWaitingForRedisAndFailsItsFutureWhenRedisDoesNotAnswer()
			throws Exception {
		// A server that accepts connections (the kernel does, into the backlog) and never answers:
		// publishing in the calling thread would hold the caller until the connection timed out.
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			LettuceConnectionFactory unanswered = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", silent.getLocalPort()),
					LettuceClientConfiguration.builder()
						.commandTimeout(Duration.ofSeconds(1))
						.clientOptions(ClientOptions.builder()
							.socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).build())
							.build())
						.build());
			unanswered.afterPropertiesSet();
			unanswered.start();
			RedisTaskBroker broker = new RedisTaskBroker(unanswered, mapper, this.prefix, Duration.ofSeconds(2),
					Clock.systemUTC());
			try {
				CompletableFuture<Void> taken = broker
					.publishAsync(new OutboundMessage(this.queue, message("unanswered", null), null));
				assertThat(taken).isNotDone();
				assertThat(taken).failsWithin(Duration.ofSeconds(30))
					.withThrowableOfType(ExecutionException.class)
					.withCauseInstanceOf(BrokerException.class);
			}
			finally {
				broker.destroy();
				unanswered.destroy();
			}
		}
	}

	@Test
	void declaresTheKombuBinding() {
		assertThat(this.redis.opsForSet().members(this.prefix + "_kombu.binding." + this.queue))
			.containsExactly(this.queue + "\u0006\u0016\u0006\u0016" + this.queue);
	}

	@Test
	void prioritiesGoToKombusPriorityLists() {
		this.broker.publish(new OutboundMessage(this.queue, message("p5", null, 5), null));
		this.broker.publish(new OutboundMessage(this.queue, message("p9", null, 9), null));
		assertThat(this.redis.opsForList().size(this.prefix + this.queue + "\u0006\u00163")).isEqualTo(1);
		assertThat(this.redis.opsForList().size(this.prefix + this.queue + "\u0006\u00169")).isEqualTo(1);
	}

	@Test
	@SuppressWarnings("unchecked")
	void consumesWhatACeleryProducerPushed() throws Exception {
		JsonNode captured = CeleryFixtures.read("redis-task-plain").get("messages").get(0);
		this.redis.opsForList().leftPush(this.prefix + this.queue, captured.get("raw").asString());
		Delivery delivery = this.broker.poll(this.queue, 1, Duration.ofSeconds(5)).get(0);
		TaskMessage message = new CeleryMessageCodec(mapper, 1 << 20).decode(delivery.message());
		assertThat(message.task()).isEqualTo("interop.add");
		assertThat((List<Object>) message.args()).containsExactly(2);
		assertThat(message.kwargs()).isEqualTo(Map.of("y", 3));
		this.broker.ack(delivery);
	}

	@Test
	void aTakenMessageIsRecordedAsUnackedExactlyAsKombuRecordsIt() throws Exception {
		this.broker.publish(new OutboundMessage(this.queue, message("u1", null), null));
		Delivery delivery = this.broker.poll(this.queue, 1, Duration.ofSeconds(5)).get(0);
		Map<Object, Object> unacked = this.redis.opsForHash().entries(this.prefix + "unacked");
		assertThat(unacked).hasSize(1);
		String tag = (String) unacked.keySet().iterator().next();
		JsonNode entry = mapper.readTree((String) unacked.get(tag));
		assertThat(entry.get(0).get("properties").get("delivery_tag").asString()).isEqualTo(tag);
		assertThat(entry.get(1).asString()).isEmpty();
		assertThat(entry.get(2).asString()).isEqualTo(this.queue);
		assertThat(this.redis.opsForZSet().score(this.prefix + "unacked_index", tag)).isNotNull();
		this.broker.ack(delivery);
		assertThat(this.redis.opsForHash().size(this.prefix + "unacked")).isZero();
		assertThat(this.redis.opsForZSet().size(this.prefix + "unacked_index")).isZero();
	}

	@Test
	void anAcknowledgementSentLaterIsWrittenWhenFlushed() throws Exception {
		this.broker.publish(new OutboundMessage(this.queue, message("at-flush", null), null));
		this.broker.ackLater(this.broker.poll(this.queue, 1, Duration.ofSeconds(5)).get(0));
		this.broker.flush();
		assertThat(this.redis.opsForHash().size(this.prefix + "unacked")).isZero();
		assertThat(this.redis.opsForZSet().size(this.prefix + "unacked_index")).isZero();
	}

	@Test
	void theConsumeScriptSettlesTheDeliveriesItIsGivenAsItTakesTheNextOnes() throws Exception {
		this.broker.publish(new OutboundMessage(this.queue, message("done", null), null));
		this.broker.publish(new OutboundMessage(this.queue, message("next", null), null));
		this.broker.poll(this.queue, 1, Duration.ofSeconds(5));
		String doneTag = (String) this.redis.opsForHash().keys(this.prefix + "unacked").iterator().next();
		RedisBrokerKeys keys = new RedisBrokerKeys(this.prefix);
		List<String> scriptKeys = new ArrayList<>(
				List.of(keys.unacked(), keys.unackedIndex(), keys.deliveries(), keys.delayed(this.queue)));
		scriptKeys.addAll(keys.lists(this.queue));
		List<?> popped = this.redis.execute(LuaScripts.load(RedisTaskBroker.class, "pop.lua", List.class), scriptKeys,
				"10", "1", "0", this.queue, doneTag);
		assertThat(popped).hasSize(4);
		String nextTag = (String) popped.get(0);
		assertThat(this.redis.opsForHash().keys(this.prefix + "unacked")).containsExactly(nextTag);
		assertThat(this.redis.opsForZSet().range(this.prefix + "unacked_index", 0, -1)).containsExactly(nextTag);
		assertThat(this.redis.opsForHash().keys(keys.deliveries())).containsExactly(nextTag);
	}

	@Test
	void anAbandonedMessageComesBackAfterTheVisibilityTimeout() throws Exception {
		this.broker.publish(new OutboundMessage(this.queue, message("lost", null), null));
		Delivery abandoned = this.broker.poll(this.queue, 1, Duration.ofSeconds(5)).get(0);
		assertThat(abandoned.deliveryCount()).isEqualTo(1);
		RedisTaskBroker other = (RedisTaskBroker) createBroker();
		assertThat(other.poll(this.queue, 1, Duration.ofMillis(100))).isEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> other.restoreExpired() == 1);
		Delivery again = other.poll(this.queue, 1, Duration.ofSeconds(5)).get(0);
		assertThat(again.message().taskId()).isEqualTo("lost");
		assertThat(again.redelivered()).isTrue();
		assertThat(again.deliveryCount()).isEqualTo(2);
		other.ack(again);
		other.destroy();
	}

	@Test
	void aRenewedMessageIsNotRestored() throws Exception {
		this.broker.publish(new OutboundMessage(this.queue, message("kept", null), null));
		Delivery running = this.broker.poll(this.queue, 1, Duration.ofSeconds(5)).get(0);
		RedisTaskBroker broker = (RedisTaskBroker) this.broker;
		Instant until = Instant.now().plusSeconds(4);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			broker.renewLeases(List.of(running));
			assertThat(broker.restoreExpired()).isZero();
			return Instant.now().isAfter(until);
		});
		assertThat(this.broker.stats(this.queue).ready()).isZero();
		this.broker.ack(running);
	}

	@Test
	void delayedMessagesWaitInRedisNotInUnacked() throws Exception {
		Instant due = Instant.now().plusSeconds(60);
		this.broker.publish(new OutboundMessage(this.queue, message("far", due), due));
		assertThat(this.broker.poll(this.queue, 1, Duration.ofMillis(200))).isEmpty();
		assertThat(this.redis.opsForZSet().size(this.prefix + "_taskqueue.delayed." + this.queue)).isEqualTo(1);
		assertThat(this.redis.opsForHash().size(this.prefix + "unacked")).isZero();
		RedisTaskBroker restarted = (RedisTaskBroker) createBroker();
		assertThat(restarted.stats(this.queue).delayed()).isEqualTo(1);
		restarted.destroy();
	}

	@Test
	void anotherProcessMovesDueDelayedMessagesToTheirQueueWithoutConsumingIt() throws Exception {
		Instant due = Instant.now().plusMillis(500);
		this.broker.publish(new OutboundMessage(this.queue, message("promoted", due), due));
		((RedisTaskBroker) this.broker).destroy();
		RedisTaskBroker other = (RedisTaskBroker) createBroker();
		other.declareQueue("unrelated-" + this.queue);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.redis.opsForList().size(this.prefix + this.queue) == 1);
		other.destroy();
	}

	@Test
	void aConsumerThatSawADelayedMessageMovesItToItsQueueWhenItIsDue() throws Exception {
		// A consumer blocked on the queue wakes on that push; Redis would end its short BLMOVE timeout
		// only at its next timer tick (up to 100 ms late).
		RedisTaskBroker consumer = (RedisTaskBroker) createBroker();
		try {
			consumer.declareQueue(this.queue);
			Instant due = Instant.now().plusSeconds(2);
			this.broker.publish(new OutboundMessage(this.queue, message("woken", due), due));
			// Neither the producer (stopped) nor the consumer (it found no delayed queues when it
			// started) promotes the queue every 250 ms: only the wake-up of a poll that saw the due
			// time can move it.
			((RedisTaskBroker) this.broker).destroy();
			assertThat(consumer.poll(this.queue, 1, Duration.ofMillis(50))).isEmpty();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.redis.opsForList().size(this.prefix + this.queue) == 1);
		}
		finally {
			consumer.destroy();
		}
	}

	@Test
	void deadLettersKeepTheEnvelopeAndReason() throws Exception {
		this.broker.publish(new OutboundMessage(this.queue, message("dead", null), null));
		this.broker.deadLetter(this.broker.poll(this.queue, 1, Duration.ofSeconds(5)).get(0), "poison");
		assertThat(this.broker.deadLetters(this.queue, 10)).singleElement().satisfies((letter) -> {
			assertThat(letter.reason()).isEqualTo("poison");
			assertThat(letter.taskId()).isEqualTo("dead");
		});
	}

	@Test
	void delayedSetsWrittenBeforeTheRegistryAreFoundOnceAndEmptiedOnesAreDropped() throws Exception {
		// As an older version left it: a delayed message, no registry of delayed queues, no marker.
		long due = Instant.now().plusMillis(300).toEpochMilli();
		String envelope = "0|" + new KombuEnvelope(mapper).encode(message("legacy", null), this.queue);
		this.redis.opsForZSet().add(this.prefix + "_taskqueue.delayed." + this.queue, envelope, due);
		this.redis.delete(List.of(this.prefix + "_taskqueue.delayed-queues", this.prefix + "_taskqueue.delayed-queues-scanned"));
		this.redis.opsForSet().add(this.prefix + "_taskqueue.delayed-queues", "emptied-" + this.queue);
		RedisTaskBroker other = (RedisTaskBroker) createBroker();
		other.declareQueue("unrelated-" + this.queue);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.redis.opsForList().size(this.prefix + this.queue) == 1);
		assertThat(this.redis.hasKey(this.prefix + "_taskqueue.delayed-queues-scanned")).isTrue();
		assertThat(this.redis.opsForSet().members(this.prefix + "_taskqueue.delayed-queues"))
			.containsExactly(this.queue);
		other.destroy();
		// The search is done once per Redis: a later process reads the registry only.
		this.redis.opsForZSet().add(this.prefix + "_taskqueue.delayed.unregistered-" + this.queue, envelope, due);
		RedisTaskBroker later = (RedisTaskBroker) createBroker();
		later.declareQueue("unrelated-" + this.queue);
		assertThat(this.redis.opsForSet().members(this.prefix + "_taskqueue.delayed-queues"))
			.doesNotContain("unregistered-" + this.queue);
		later.destroy();
	}

	@Test
	void aMessageThatIsNotJsonIsStillDeliveredSoItCanBeRejected() throws Exception {
		this.redis.opsForList().leftPush(this.prefix + this.queue, "not json at all");
		Delivery delivery = this.broker.poll(this.queue, 1, Duration.ofSeconds(5)).get(0);
		assertThat(delivery.message().properties().contentType()).isNull();
		this.broker.deadLetter(delivery, "unreadable envelope");
		assertThat(this.redis.opsForHash().size(this.prefix + "unacked")).isZero();
	}

	@Test
	void anAbandonedMessageThatOnlyLooksLikeJsonComesBackAsItWas() throws Exception {
		// Its tail is a kombu envelope's, so the consumer's script takes it for JSON without parsing it.
		String broken = "{\"body\": \"eA==\", \"headers\": {\"id\": oops}, \"properties\": {\"delivery_tag\": \"t-1\"}}";
		this.redis.opsForList().leftPush(this.prefix + this.queue, broken);
		Delivery abandoned = this.broker.poll(this.queue, 1, Duration.ofSeconds(5)).get(0);
		assertThat(abandoned.message().properties().contentType()).isNull();
		RedisTaskBroker other = (RedisTaskBroker) createBroker();
		await().atMost(Duration.ofSeconds(10)).until(() -> other.restoreExpired() == 1);
		assertThat(this.redis.opsForList().range(this.prefix + this.queue, 0, -1)).containsExactly(broken);
		Delivery again = other.poll(this.queue, 1, Duration.ofSeconds(5)).get(0);
		assertThat(again.deliveryCount()).isEqualTo(2);
		other.deadLetter(again, "unreadable envelope");
		other.destroy();
	}

}
