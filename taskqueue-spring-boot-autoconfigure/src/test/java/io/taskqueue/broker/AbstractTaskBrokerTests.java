package io.taskqueue.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.taskqueue.protocol.CeleryTime;
import io.taskqueue.protocol.TaskMessage;
import io.taskqueue.protocol.WireMessage;
import io.taskqueue.protocol.WireProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract every {@link TaskBroker} keeps. Each implementation's test extends this class and
 * provides a broker; every test uses its own queue.
 */
public abstract class AbstractTaskBrokerTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	protected TaskBroker broker;

	protected String queue;

	protected abstract TaskBroker createBroker() throws Exception;

	protected void destroyBroker(TaskBroker broker) throws Exception {
	}

	@BeforeEach
	void setUpBroker() throws Exception {
		this.broker = createBroker();
		this.queue = "contract-" + UUID.randomUUID();
		this.broker.declareQueue(this.queue);
	}

	@AfterEach
	void tearDownBroker() throws Exception {
		this.broker.purge(this.queue);
		destroyBroker(this.broker);
	}

	@Test
	void deliversPublishedMessagesUnchanged() throws Exception {
		WireMessage sent = message("t1", null);
		this.broker.publish(new OutboundMessage(this.queue, sent, null));
		List<Delivery> deliveries = this.broker.poll(this.queue, 10, WAIT);
		assertThat(deliveries).hasSize(1);
		Delivery delivery = deliveries.get(0);
		assertThat(delivery.queue()).isEqualTo(this.queue);
		assertThat(delivery.message().headers()).containsEntry("id", "t1").containsEntry("task", "contract.echo");
		assertThat(delivery.message().body()).isEqualTo(sent.body());
		assertThat(delivery.message().properties().contentType()).isEqualTo("application/json");
		assertThat(delivery.redelivered()).isFalse();
		assertThat(delivery.deliveryCount()).isEqualTo(1);
		this.broker.ack(delivery);
	}

	@Test
	void deliversInPublishOrderAndNoMoreThanAsked() throws Exception {
		for (int i = 0; i < 5; i++) {
			this.broker.publish(new OutboundMessage(this.queue, message("m" + i, null), null));
		}
		List<String> ids = new ArrayList<>();
		List<Delivery> first = this.broker.poll(this.queue, 2, WAIT);
		assertThat(first).hasSizeLessThanOrEqualTo(2).isNotEmpty();
		first.forEach((delivery) -> ids.add(delivery.message().taskId()));
		first.forEach(this.broker::ack);
		takeUntil(ids, 5);
		assertThat(ids).containsExactly("m0", "m1", "m2", "m3", "m4");
	}

	@Test
	void messagesPublishedAsynchronouslyAreTakenAndDeliveredInTheOrderOfOneThread() throws Exception {
		List<CompletableFuture<Void>> taken = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			taken.add(this.broker.publishAsync(new OutboundMessage(this.queue, message("a" + i, null), null)));
		}
		CompletableFuture.allOf(taken.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		List<String> ids = new ArrayList<>();
		takeUntil(ids, 5);
		assertThat(ids).containsExactly("a0", "a1", "a2", "a3", "a4");
	}

	/** Poll, acknowledge and add the task ids to {@code ids} until it holds {@code count}; each poll must find some. */
	private void takeUntil(List<String> ids, int count) throws InterruptedException {
		while (ids.size() < count) {
			List<Delivery> deliveries = this.broker.poll(this.queue, count, WAIT);
			assertThat(deliveries).isNotEmpty();
			deliveries.forEach((delivery) -> ids.add(delivery.message().taskId()));
			deliveries.forEach(this.broker::ack);
		}
	}

	@Test
	void pollReturnsEmptyAfterTheTimeoutWhenTheQueueIsEmpty() throws Exception {
		assertThat(this.broker.poll(this.queue, 1, Duration.ofMillis(200))).isEmpty();
	}

	@Test
	void pollWakesUpAsSoonAsAMessageIsPublished() throws Exception {
		CompletableFuture<List<Delivery>> waiting = CompletableFuture.supplyAsync(() -> {
			try {
				return this.broker.poll(this.queue, 1, Duration.ofSeconds(30));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		this.broker.publish(new OutboundMessage(this.queue, message("late", null), null));
		List<Delivery> deliveries = waiting.get(10, TimeUnit.SECONDS);
		assertThat(deliveries).extracting((delivery) -> delivery.message().taskId()).containsExactly("late");
		this.broker.ack(deliveries.get(0));
	}

	@Test
	void acknowledgedMessagesAreNotDeliveredAgain() throws Exception {
		this.broker.publish(new OutboundMessage(this.queue, message("once", null), null));
		Delivery delivery = this.broker.poll(this.queue, 1, WAIT).get(0);
		this.broker.ack(delivery);
		assertThat(this.broker.poll(this.queue, 1, Duration.ofMillis(300))).isEmpty();
		assertThat(this.broker.stats(this.queue).inFlight()).isIn(0L, -1L);
	}

	@Test
	void messagesAcknowledgedLaterAreSettledSoon() throws Exception {
		this.broker.publish(new OutboundMessage(this.queue, message("later-1", null), null));
		this.broker.publish(new OutboundMessage(this.queue, message("later-2", null), null));
		List<Delivery> deliveries = new ArrayList<>();
		await().atMost(WAIT).until(() -> deliveries.addAll(this.broker.poll(this.queue, 2, Duration.ofMillis(200)))
				&& deliveries.size() == 2);
		this.broker.ackLater(deliveries.get(1));
		this.broker.ackLater(deliveries.get(0));
		await().atMost(WAIT).until(() -> this.broker.stats(this.queue).inFlight() <= 0);
		this.broker.flush();
		this.broker = reconnect(this.broker);
		assertThat(this.broker.poll(this.queue, 1, Duration.ofMillis(300))).isEmpty();
	}

	/**
	 * Drop the broker's connections and return a broker on new ones, where doing so gives
	 * unacknowledged messages back (RabbitMQ); by default the same broker.
	 * @param broker the broker
	 * @return the broker to go on with
	 * @throws Exception if a new broker cannot be created
	 */
	protected TaskBroker reconnect(TaskBroker broker) throws Exception {
		return broker;
	}

	@Test
	void rejectedWithRequeueIsDeliveredAgainAsRedelivered() throws Exception {
		this.broker.publish(new OutboundMessage(this.queue, message("again", null), null));
		Delivery first = this.broker.poll(this.queue, 1, WAIT).get(0);
		this.broker.reject(first, true);
		List<Delivery> second = this.broker.poll(this.queue, 1, WAIT);
		assertThat(second).hasSize(1);
		assertThat(second.get(0).message().taskId()).isEqualTo("again");
		assertThat(second.get(0).redelivered()).isTrue();
		assertThat(second.get(0).deliveryCount()).isEqualTo(2);
		this.broker.ack(second.get(0));
	}

	@Test
	void rejectedWithoutRequeueIsGone() throws Exception {
		this.broker.publish(new OutboundMessage(this.queue, message("drop", null), null));
		this.broker.reject(this.broker.poll(this.queue, 1, WAIT).get(0), false);
		assertThat(this.broker.poll(this.queue, 1, Duration.ofMillis(300))).isEmpty();
	}

	@Test
	void deadLetteredMessagesLeaveTheQueueAndAreCounted() throws Exception {
		this.broker.publish(new OutboundMessage(this.queue, message("poison", null), null));
		this.broker.deadLetter(this.broker.poll(this.queue, 1, WAIT).get(0), "undecodable");
		assertThat(this.broker.poll(this.queue, 1, Duration.ofMillis(300))).isEmpty();
		if (this.broker.capabilities().deadLetters()) {
			assertThat(this.broker.stats(this.queue).deadLettered()).isEqualTo(1);
		}
	}

	@Test
	void deadLettersCanBeListedWithTheirReasonAndRequeued() throws Exception {
		this.broker.publish(new OutboundMessage(this.queue, message("dl-1", null), null));
		this.broker.publish(new OutboundMessage(this.queue, message("dl-2", null), null));
		List<Delivery> deliveries = new ArrayList<>();
		await().atMost(WAIT).until(() -> {
			deliveries.addAll(this.broker.poll(this.queue, 2, Duration.ofMillis(200)));
			return deliveries.size() == 2;
		});
		this.broker.deadLetter(deliveries.get(0), "reason one");
		this.broker.deadLetter(deliveries.get(1), "reason two");
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.broker.deadLetters(this.queue, 10))
			.extracting(io.taskqueue.broker.DeadLetter::taskId, io.taskqueue.broker.DeadLetter::reason)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("dl-1", "reason one"),
					org.assertj.core.groups.Tuple.tuple("dl-2", "reason two")));
		assertThat(this.broker.requeueDeadLetter(this.queue, "dl-2")).isTrue();
		assertThat(this.broker.requeueDeadLetter(this.queue, "nobody")).isFalse();
		List<Delivery> again = this.broker.poll(this.queue, 1, WAIT);
		assertThat(again).extracting((delivery) -> delivery.message().taskId()).containsExactly("dl-2");
		this.broker.ack(again.get(0));
		assertThat(this.broker.deadLetters(this.queue, 10)).extracting(io.taskqueue.broker.DeadLetter::taskId)
			.containsExactly("dl-1");
	}

	@Test
	void delayedMessagesAreHeldUntilDue() throws Exception {
		if (!this.broker.capabilities().delayedDelivery()) {
			return;
		}
		Instant due = Instant.now().plusMillis(1500);
		this.broker.publish(new OutboundMessage(this.queue, message("later", due), due));
		this.broker.publish(new OutboundMessage(this.queue, message("now", null), null));
		Delivery now = this.broker.poll(this.queue, 10, WAIT).get(0);
		assertThat(now.message().taskId()).isEqualTo("now");
		this.broker.ack(now);
		assertThat(this.broker.stats(this.queue).delayed()).isIn(1L, -1L);
		List<Delivery> later = new ArrayList<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			later.addAll(this.broker.poll(this.queue, 1, Duration.ofMillis(200)));
			return !later.isEmpty();
		});
		assertThat(Instant.now()).isAfterOrEqualTo(due);
		assertThat(later.get(0).message().taskId()).isEqualTo("later");
		this.broker.ack(later.get(0));
	}

	@Test
	void higherPriorityIsDeliveredFirstWhereSupported() throws Exception {
		if (this.broker.capabilities().maxPriority() == 0) {
			return;
		}
		this.broker.publish(new OutboundMessage(this.queue, message("low", null, 0), null));
		this.broker.publish(new OutboundMessage(this.queue, message("high", null, 9), null));
		Delivery first = this.broker.poll(this.queue, 1, WAIT).get(0);
		this.broker.ack(first);
		assertThat(first.message().taskId()).isEqualTo(expectedFirstOfLowAndHighPriority());
		this.broker.ack(this.broker.poll(this.queue, 1, WAIT).get(0));
	}

	/** The id served first when "low" (priority 0) and then "high" (priority 9) are queued. */
	protected String expectedFirstOfLowAndHighPriority() {
		return "high";
	}

	@Test
	void statsCountReadyMessagesAndPurgeRemovesThem() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.broker.publish(new OutboundMessage(this.queue, message("s" + i, null), null));
		}
		await().atMost(WAIT).until(() -> this.broker.stats(this.queue).ready() == 3);
		assertThat(this.broker.purge(this.queue)).isEqualTo(3);
		assertThat(this.broker.stats(this.queue).ready()).isZero();
	}

	@Test
	void statsReportTheAgeOfTheOldestStampedMessageWhereTheBrokerCanTell() throws Exception {
		this.broker.publish(new OutboundMessage(this.queue, stamped("old", Instant.now().minusSeconds(60)), null));
		this.broker.publish(new OutboundMessage(this.queue, stamped("new", Instant.now().minusSeconds(5)), null));
		await().atMost(WAIT).until(() -> this.broker.stats(this.queue).ready() == 2);
		Duration age = this.broker.stats(this.queue).oldestAge();
		if (reportsOldestAge()) {
			assertThat(age).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(120));
		}
		else {
			assertThat(age).isNull();
		}
		this.broker.purge(this.queue);
		assertThat(this.broker.stats(this.queue).oldestAge()).isNull();
	}

	/** Whether {@link QueueStats#oldestAge()} is reported (RabbitMQ cannot peek at messages). */
	protected boolean reportsOldestAge() {
		return true;
	}

	@Test
	void concurrentSendersToAFreshQueueLoseNothing() throws Exception {
		List<CompletableFuture<Void>> senders = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			int thread = t;
			senders.add(CompletableFuture.runAsync(() -> {
				for (int i = 0; i < 50; i++) {
					this.broker.publish(new OutboundMessage(this.queue, message("c" + thread + "-" + i, null), null));
				}
			}));
		}
		CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		List<Delivery> received = new ArrayList<>();
		await().atMost(WAIT).until(() -> {
			List<Delivery> batch = this.broker.poll(this.queue, 100, Duration.ofMillis(200));
			batch.forEach(this.broker::ack);
			received.addAll(batch);
			return received.size() >= 400;
		});
		assertThat(received).extracting((delivery) -> delivery.message().taskId()).hasSize(400).doesNotHaveDuplicates();
	}

	@Test
	void publishAllDeliversEveryMessage() throws Exception {
		List<OutboundMessage> batch = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			batch.add(new OutboundMessage(this.queue, message("b" + i, null), null));
		}
		this.broker.publishAll(batch);
		List<Delivery> received = new ArrayList<>();
		await().atMost(WAIT).until(() -> {
			received.addAll(this.broker.poll(this.queue, 20, Duration.ofMillis(200)));
			return received.size() >= 20;
		});
		received.forEach(this.broker::ack);
		assertThat(received).extracting((delivery) -> delivery.message().taskId()).hasSize(20).doesNotHaveDuplicates();
	}

	protected static WireMessage message(String id, Instant eta) {
		return message(id, eta, null);
	}

	private static WireMessage stamped(String id, Instant sentAt) {
		WireMessage plain = message(id, null);
		Map<String, Object> headers = new java.util.LinkedHashMap<>(plain.headers());
		headers.put(TaskMessage.SENT_AT_HEADER, CeleryTime.format(sentAt));
		return new WireMessage(headers, plain.properties(), plain.body());
	}

	protected static WireMessage message(String id, Instant eta, Integer priority) {
		Map<String, Object> headers = new java.util.LinkedHashMap<>();
		headers.put("task", "contract.echo");
		headers.put("id", id);
		headers.put("eta", (eta != null) ? eta.toString() : null);
		return new WireMessage(headers, WireProperties.json(id, "", priority),
				("[[\"" + id + "\"], {}, {}]").getBytes(StandardCharsets.UTF_8));
	}

}
