package io.taskqueue.broker.rabbit;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.taskqueue.broker.BrokerCapabilities;
import io.taskqueue.broker.BrokerException;
import io.taskqueue.broker.DeadLetter;
import io.taskqueue.broker.Delivery;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.QueueStats;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.broker.rabbit.RabbitQueueConsumer.Received;
import io.taskqueue.protocol.CeleryTime;
import io.taskqueue.protocol.WireMessage;
import io.taskqueue.support.CombiningWriter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * A {@link TaskBroker} on RabbitMQ, declaring and publishing as Celery does (a durable direct
 * exchange and queue per queue name, publishes to the default exchange with the queue as routing
 * key, persistent JSON messages with the task headers), so Python Celery shares its queues.
 *
 * <p>Publishes are confirmed by the broker before {@link #publish} returns. Consumption uses manual
 * acknowledgements with a prefetch equal to the worker's slots, so a worker killed mid-task leaves its
 * messages to RabbitMQ, which redelivers them. Delays are held by RabbitMQ ({@link RabbitDelays}),
 * including those of Celery messages that arrive with a future {@code eta}. Dead letters go to a
 * durable queue {@code taskqueue.dead.<queue>} with the reason in the {@code x-taskqueue-reason} header.
 */
public class RabbitTaskBroker implements TaskBroker, DisposableBean {

	/** How long a publish waits for RabbitMQ's confirm by default before it fails. */
	public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(RabbitTaskBroker.class);

	private final ConnectionFactory connectionFactory;

	private final RabbitQueueOptions options;

	private final Clock clock;

	private final Map<String, RabbitQueueConsumer> consumers = new ConcurrentHashMap<>();

	/**
	 * How many batches of combined single sends may wait for their confirms at once. With one, the
	 * next batch waits for the previous one's confirms and RabbitMQ idles meanwhile; with two, one is
	 * written while the other is confirmed, which RabbitMQ also handles with less CPU per message
	 * (see RabbitCeiling in the benchmarks).
	 */
	private static final int COMBINED_PUBLISHES = 2;

	private final RabbitPublisher publisher;

	private final CombiningWriter<OutboundMessage, @Nullable Void> publications = new CombiningWriter<>(
			this::publishBatch, 256, COMBINED_PUBLISHES);

	/** Messages published asynchronously: a thread of its own publishes them and waits for their confirms. */
	private final CombiningWriter<OutboundMessage, @Nullable Void> handedOver = CombiningWriter
		.withOwnFlusher("taskqueue-publish-", this::publishBatch, 256, (ex) -> {
		});

	private final CombiningWriter<RabbitTag, @Nullable Void> finished = CombiningWriter.withOwnFlusher(
			"taskqueue-acks-", this::acknowledgeFinished, 1024, (ex) -> logger.warn("Could not acknowledge finished"
					+ " tasks; RabbitMQ redelivers them when their channel closes, and workers find them done: "
					+ ex.getMessage()));

	/**
	 * Create a broker.
	 * @param connectionFactory the application's RabbitMQ connections ({@code spring.rabbitmq.*})
	 * @param options how task queues are declared
	 * @param clock the clock for due times
	 */
	public RabbitTaskBroker(ConnectionFactory connectionFactory, RabbitQueueOptions options, Clock clock) {
		this.connectionFactory = connectionFactory;
		this.options = options;
		this.clock = clock;
		this.publisher = new RabbitPublisher(connectionFactory, options, clock);
	}

	/**
	 * Set how long a publish waits for RabbitMQ's publisher confirm, or for a connection RabbitMQ
	 * blocks (a memory or disk alarm) to be unblocked, before it fails with a {@link BrokerException}
	 * ({@code taskqueue.rabbit.confirm-timeout}; default {@link #DEFAULT_CONFIRM_TIMEOUT}). A message
	 * whose confirm did not come in time may still reach its queue once the broker reads it, so
	 * sending it again may run the task twice.
	 * @param confirmTimeout the wait, from 1 ms to 1 day
	 * @throws IllegalArgumentException for a wait outside that range
	 */
	public void setConfirmTimeout(Duration confirmTimeout) {
		if (confirmTimeout == null || confirmTimeout.toMillis() < 1
				|| confirmTimeout.compareTo(Duration.ofDays(1)) > 0) {
			throw new IllegalArgumentException(
					"taskqueue.rabbit.confirm-timeout must be between 1ms and 1d, got " + confirmTimeout);
		}
		this.publisher.setConfirmTimeout(confirmTimeout);
	}

	/**
	 * Return how long a publish waits for RabbitMQ's publisher confirm.
	 * @return the wait
	 */
	public Duration getConfirmTimeout() {
		return this.publisher.confirmTimeout();
	}

	@Override
	public BrokerCapabilities capabilities() {
		int maxPriority = (this.options.maxPriority() != null) ? this.options.maxPriority() : 0;
		return new BrokerCapabilities(true, false, true, maxPriority, true);
	}

	@Override
	public void declareQueue(String queue) {
		withChannel("declare queue '" + queue + "'", (channel) -> {
			this.publisher.declare(channel, queue);
			return null;
		});
	}

	/**
	 * Publish a message and wait for its confirm; messages of concurrent callers go out together, in
	 * batches on one channel each that share one wait for their confirms, with up to
	 * {@link #COMBINED_PUBLISHES} batches in flight.
	 */
	@Override
	public void publish(OutboundMessage message) {
		this.publications.submit(message);
	}

	/**
	 * Hand a message to the broker's publishing thread and return at once; the future completes on its
	 * confirm. Messages handed over while a batch waits for its confirms go out together next.
	 */
	@Override
	public CompletableFuture<Void> publishAsync(OutboundMessage message) {
		return this.handedOver.handOver(message);
	}

	/**
	 * Publish messages on one confirm channel and wait for their confirms; up to eight such batches
	 * may wait at once, each on its own channel.
	 */
	@Override
	public void publishAll(List<OutboundMessage> messages) {
		this.publisher.publishAll(messages);
	}

	private List<@Nullable Void> publishBatch(List<OutboundMessage> batch) {
		publishAll(batch);
		return Collections.nCopies(batch.size(), null);
	}

	@Override
	public List<Delivery> poll(String queue, int max, Duration timeout) throws InterruptedException {
		RabbitQueueConsumer consumer = this.consumers.computeIfAbsent(queue,
				(name) -> new RabbitQueueConsumer(name, this.connectionFactory, max));
		List<Received> received;
		try {
			received = consumer.take(max, timeout);
		}
		catch (IOException | AmqpException ex) {
			consumer.close();
			throw new BrokerException("RabbitMQ broker: cannot consume from '" + queue + "': " + describe(ex), ex);
		}
		List<Delivery> deliveries = new ArrayList<>(received.size());
		List<OutboundMessage> early = new ArrayList<>();
		List<RabbitTag> earlyTags = new ArrayList<>();
		for (Received delivery : received) {
			WireMessage message = RabbitMessages.message(delivery.properties(), delivery.body());
			RabbitTag tag = new RabbitTag(delivery.acks(), delivery.deliveryTag());
			Instant eta = eta(message);
			if (eta != null && eta.isAfter(this.clock.instant().plus(RabbitDelays.TOLERANCE))) {
				early.add(new OutboundMessage(queue, message, eta));
				earlyTags.add(tag);
				continue;
			}
			deliveries.add(new Delivery(queue, message, delivery.redelivered(), deliveryCount(delivery), tag));
		}
		if (!early.isEmpty()) {
			delayAgain(queue, early, earlyTags);
		}
		return deliveries;
	}

	/**
	 * Delay early messages again by their remaining time, all under one confirm wait: waiting for
	 * each in turn held up the due messages taken with them by a confirm per early one.
	 */
	private void delayAgain(String queue, List<OutboundMessage> early, List<RabbitTag> tags) {
		String what = "acknowledge a delayed message";
		Settlement settlement = (channel, number) -> channel.basicAck(number, false);
		try {
			publishAll(early);
		}
		catch (BrokerException ex) {
			logger.warn("Queue '" + queue + "': could not delay " + early.size() + " early message(s) again,"
					+ " returning them: " + ex.getMessage());
			what = "return a delayed message";
			settlement = (channel, number) -> channel.basicReject(number, true);
		}
		for (RabbitTag tag : tags) {
			settle(tag, what, settlement);
		}
	}

	private static int deliveryCount(Received delivery) {
		Map<String, Object> headers = delivery.properties().getHeaders();
		Object count = (headers != null) ? headers.get("x-delivery-count") : null;
		if (count instanceof Number number) {
			return number.intValue() + 1;
		}
		return delivery.redelivered() ? 2 : 1;
	}

	private static @Nullable Instant eta(WireMessage message) {
		String eta = message.header("eta");
		if (eta == null) {
			return null;
		}
		try {
			return CeleryTime.parse(eta);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	@Override
	public void ack(Delivery delivery) {
		settle(tag(delivery), "acknowledge", (channel, tag) -> channel.basicAck(tag, false));
	}

	@Override
	public void reject(Delivery delivery, boolean requeue) {
		settle(tag(delivery), "reject", (channel, tag) -> channel.basicReject(tag, requeue));
	}

	@Override
	public void deadLetter(Delivery delivery, String reason) {
		String deadQueue = deadLetterQueue(delivery.queue());
		Map<String, Object> headers = new LinkedHashMap<>(delivery.message().headers());
		headers.put("x-taskqueue-reason", reason);
		headers.put("x-taskqueue-queue", delivery.queue());
		headers.put("x-taskqueue-dead-lettered-at", this.clock.instant().toString());
		publish(new OutboundMessage(deadQueue,
				new WireMessage(headers, delivery.message().properties(), delivery.message().body()), null));
		ack(delivery);
	}

	@Override
	public void renewLeases(Collection<Delivery> deliveries) {
	}

	/**
	 * Peek at up to {@code limit} dead letters: they are fetched unacknowledged and given back to the
	 * dead-letter queue, whose order may change.
	 */
	@Override
	public List<DeadLetter> deadLetters(String queue, int limit) {
		return withChannel("read dead letters of '" + queue + "'", (channel) -> {
			List<DeadLetter> letters = new ArrayList<>();
			GetResponse response;
			while (letters.size() < limit && (response = getDeadLetter(channel, queue)) != null) {
				letters.add(deadLetter(queue, response));
			}
			if (!letters.isEmpty()) {
				channel.basicNack(0, true, true);
			}
			return letters;
		});
	}

	@Override
	public boolean requeueDeadLetter(String queue, String taskId) {
		return withChannel("requeue a dead letter of '" + queue + "'", (channel) -> {
			boolean found = false;
			boolean fetched = false;
			GetResponse response;
			while (!found && (response = getDeadLetter(channel, queue)) != null) {
				fetched = true;
				DeadLetter letter = deadLetter(queue, response);
				if (taskId.equals(letter.taskId())) {
					Map<String, Object> headers = new LinkedHashMap<>(letter.message().headers());
					headers.keySet().removeIf((name) -> name.startsWith("x-taskqueue-"));
					publish(new OutboundMessage(queue,
							new WireMessage(headers, letter.message().properties(), letter.message().body()), null));
					channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
					found = true;
				}
			}
			if (fetched) {
				channel.basicNack(0, true, true);
			}
			return found;
		});
	}

	private static @Nullable GetResponse getDeadLetter(Channel channel, String queue) throws IOException {
		try {
			return channel.basicGet(deadLetterQueue(queue), false);
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static DeadLetter deadLetter(String queue, GetResponse response) {
		WireMessage message = RabbitMessages.message(response.getProps(), response.getBody());
		Object reason = message.headers().get("x-taskqueue-reason");
		Object at = message.headers().get("x-taskqueue-dead-lettered-at");
		return new DeadLetter(queue, message, (reason != null) ? reason.toString() : "unknown",
				(at != null) ? Instant.parse(at.toString()) : Instant.EPOCH);
	}

	@Override
	public QueueStats stats(String queue) {
		long ready = withChannel("read statistics of '" + queue + "'",
				(channel) -> (long) channel.queueDeclarePassive(queue).getMessageCount());
		long dead = withChannel("read dead letters of '" + queue + "'", (channel) -> {
			try {
				return (long) channel.queueDeclarePassive(deadLetterQueue(queue)).getMessageCount();
			}
			catch (IOException ex) {
				return 0L;
			}
		});
		return new QueueStats(queue, ready, -1, -1, dead);
	}

	@Override
	public long purge(String queue) {
		return withChannel("purge '" + queue + "'", (channel) -> (long) channel.queuePurge(queue).getMessageCount());
	}

	/**
	 * Return the name of a queue's dead-letter queue.
	 * @param queue the queue
	 * @return {@code taskqueue.dead.<queue>}
	 */
	public static String deadLetterQueue(String queue) {
		return "taskqueue.dead." + queue;
	}

	@Override
	public void destroy() {
		this.handedOver.close();
		this.finished.close();
		this.consumers.values().forEach(RabbitQueueConsumer::close);
		this.consumers.clear();
		this.publisher.close();
	}

	private void settle(RabbitTag tag, String what, Settlement settlement) {
		if (!tag.channel().isOpen()) {
			logger.warn("Cannot " + what + " a message: its channel closed, so RabbitMQ has already returned it to"
					+ " the queue and will deliver it again");
			return;
		}
		try {
			settlement.apply(tag.channel(), tag.deliveryTag());
		}
		catch (IOException | RuntimeException ex) {
			if (!tag.channel().isOpen()) {
				logger.warn("Cannot " + what + " a message: its channel closed meanwhile, so RabbitMQ has already"
						+ " returned it to the queue and will deliver it again");
				return;
			}
			throw new BrokerException("RabbitMQ broker: cannot " + what + " a message: " + describe(ex), ex);
		}
		finally {
			tag.acks().settled(tag.deliveryTag());
		}
	}

	/**
	 * Acknowledge without waiting: the acknowledgement goes out within about a millisecond, together
	 * with those of every delivery of the channel finished meanwhile, as one multiple acknowledgement
	 * where they are the channel's oldest unsettled deliveries.
	 */
	@Override
	public void ackLater(Delivery delivery) {
		this.finished.submitLater(tag(delivery));
	}

	@Override
	public void flush() {
		this.finished.drain();
	}

	private List<@Nullable Void> acknowledgeFinished(List<RabbitTag> tags) {
		Map<ChannelAcks, List<Long>> byChannel = new LinkedHashMap<>();
		for (RabbitTag tag : tags) {
			byChannel.computeIfAbsent(tag.acks(), (acks) -> new ArrayList<>()).add(tag.deliveryTag());
		}
		byChannel.forEach((acks, deliveryTags) -> {
			if (!acks.channel().isOpen()) {
				// RabbitMQ returned them to the queue; their redeliveries find them done.
				return;
			}
			try {
				acks.acknowledge(deliveryTags);
			}
			catch (IOException | RuntimeException ex) {
				// The channel is failing: RabbitMQ returns its deliveries when it closes, and their
				// redeliveries find them done. The other channels' acknowledgements still go out.
				logger.warn("Could not acknowledge " + deliveryTags.size() + " finished task(s); RabbitMQ redelivers"
						+ " them when their channel closes, and workers find them done: " + describe(ex));
			}
		});
		return Collections.nCopies(tags.size(), null);
	}

	private <T> T withChannel(String what, ChannelCallback<T> callback) {
		Channel channel = null;
		try {
			channel = this.connectionFactory.createConnection().createChannel(false);
			return callback.apply(channel);
		}
		catch (IOException | AmqpException ex) {
			throw new BrokerException("RabbitMQ broker: cannot " + what + ": " + describe(ex), ex);
		}
		finally {
			if (channel != null) {
				closeQuietly(channel);
			}
		}
	}

	static void closeQuietly(Channel channel) {
		try {
			if (channel.isOpen()) {
				channel.close();
			}
		}
		catch (IOException | TimeoutException | RuntimeException ex) {
			logger.debug("Could not close a channel", ex);
		}
	}

	static String describe(Exception ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

	private static RabbitTag tag(Delivery delivery) {
		if (!(delivery.tag() instanceof RabbitTag tag)) {
			throw new IllegalArgumentException("Not a delivery of this broker: " + delivery);
		}
		return tag;
	}

	private record RabbitTag(ChannelAcks acks, long deliveryTag) {

		Channel channel() {
			return this.acks.channel();
		}

	}

	@FunctionalInterface
	private interface ChannelCallback<T> {

		T apply(Channel channel) throws IOException;

	}

	@FunctionalInterface
	private interface Settlement {

		void apply(Channel channel, long deliveryTag) throws IOException;

	}

}
