package io.taskqueue.broker.rabbit;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import io.taskqueue.broker.BrokerException;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.protocol.WireMessage;

import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Publishing for the {@link RabbitTaskBroker}: batches of messages on confirm channels, each batch
 * sharing one wait for its confirms and, on a {@link DeferringSocketFactory}'s sockets, its socket
 * writes. Queues are declared before the first publish to them, as Celery declares them, and delayed
 * messages go to the delay step for their remaining time ({@link RabbitDelays}).
 */
final class RabbitPublisher {

	/** How many batches may wait for their publisher confirms at once, each on its own channel. */
	private static final int PUBLISH_CHANNELS = 8;

	private final ConnectionFactory connectionFactory;

	private final RabbitQueueOptions options;

	private final Clock clock;

	private final RabbitDelays delays = new RabbitDelays();

	private final Set<String> declared = ConcurrentHashMap.newKeySet();

	private final BlockingQueue<Channel> idleChannels = new LinkedBlockingQueue<>();

	private final Semaphore permits = new Semaphore(PUBLISH_CHANNELS);

	private final PublishingBlocks blocks = new PublishingBlocks();

	private final ChannelCloser closer = new ChannelCloser();

	private volatile Duration confirmTimeout = RabbitTaskBroker.DEFAULT_CONFIRM_TIMEOUT;

	RabbitPublisher(ConnectionFactory connectionFactory, RabbitQueueOptions options, Clock clock) {
		this.connectionFactory = connectionFactory;
		this.options = options;
		this.clock = clock;
		// from the moment each publishing connection exists (the factory tells of one open already),
		// so that a block RabbitMQ announces before this publisher's first publish there is not missed
		publishers().addConnectionListener((connection) -> this.blocks.listen(connection.getDelegate()));
	}

	/**
	 * Set how long a batch waits for its publisher confirms before its publish fails.
	 * @param confirmTimeout the wait, positive
	 */
	void setConfirmTimeout(Duration confirmTimeout) {
		this.confirmTimeout = confirmTimeout;
	}

	Duration confirmTimeout() {
		return this.confirmTimeout;
	}

	/**
	 * Declare a task queue as Celery does: a durable direct exchange and a durable queue of its name,
	 * bound with its name.
	 */
	void declare(Channel channel, String queue) throws IOException {
		channel.exchangeDeclare(queue, BuiltinExchangeType.DIRECT, true);
		channel.queueDeclare(queue, true, false, false, this.options.arguments());
		channel.queueBind(queue, queue, queue);
	}

	/**
	 * Publish messages on one confirm channel and wait for their confirms.
	 * @throws BrokerException if a message could not be published or was not confirmed
	 */
	void publishAll(List<OutboundMessage> messages) {
		Channel channel = null;
		boolean permitted = false;
		// a nack (or a timeout) says nothing against the declarations made so far
		boolean declarationsHold = false;
		try {
			this.permits.acquire();
			permitted = true;
			Duration timeout = this.confirmTimeout;
			long deadline = System.nanoTime() + timeout.toNanos();
			channel = idleOrNewChannel(deadline);
			List<Publication> publications = new ArrayList<>(messages.size());
			for (OutboundMessage message : messages) {
				publications.add(prepare(channel, message));
			}
			Channel target = unproxied(channel);
			// Only publishes in the scope, on the channel itself: a declaration, or a proxy opening a
			// channel in place of a closed one, waits for a reply and must not be held back.
			DeferredFlushes.run(() -> {
				for (Publication publication : publications) {
					target.basicPublish(publication.exchange(), publication.routingKey(), publication.properties(),
							publication.body());
				}
			});
			boolean confirmed;
			try {
				confirmed = target.waitForConfirms(Math.max(1, millisUntil(deadline)));
			}
			catch (TimeoutException ex) {
				// Not waitForConfirmsOrDie: it closes the channel in this thread, waiting for a reply
				// that a blocked connection gets only when the alarm clears. At-least-once: the
				// unconfirmed messages may still reach their queue, so sending them again may run them twice.
				this.closer.close(channel);
				channel = null;
				throw new TimeoutException("no publisher confirm within " + timeout
						+ " (taskqueue.rabbit.confirm-timeout); RabbitMQ may still enqueue the message(s)");
			}
			// either way no confirm is outstanding: the channel can be used again
			this.idleChannels.add(channel);
			channel = null;
			if (!confirmed) {
				declarationsHold = true;
				throw new IOException("RabbitMQ refused (nacked) the message(s)");
			}
		}
		catch (IOException | TimeoutException | InterruptedException | RuntimeException ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			if (channel != null) {
				RabbitTaskBroker.closeQuietly(channel);
			}
			if (!declarationsHold && !(ex instanceof TimeoutException)) {
				this.declared.clear();
			}
			throw new BrokerException("RabbitMQ broker: cannot publish " + messages.size() + " message(s): "
					+ RabbitTaskBroker.describe(ex), ex);
		}
		finally {
			if (permitted) {
				this.permits.release();
			}
		}
	}

	/** Declare what a message needs and say where it goes: to its queue, or to a delay step for it. */
	private Publication prepare(Channel channel, OutboundMessage outbound) throws IOException {
		String queue = outbound.queue();
		WireMessage message = outbound.message();
		if (!this.declared.contains(queue)) {
			// Declared before anyone publishes to it: RabbitMQ drops messages to a missing queue.
			declare(channel, queue);
			this.declared.add(queue);
		}
		AMQP.BasicProperties properties = RabbitMessages.properties(message);
		Instant deliverAt = outbound.deliverAt();
		long step = (deliverAt != null) ? RabbitDelays.step(Duration.between(this.clock.instant(), deliverAt)) : 0;
		if (step > 0) {
			this.delays.declare(channel, step);
			return new Publication(RabbitDelays.name(step), queue, properties, message.body());
		}
		return new Publication("", queue, properties, message.body());
	}

	/**
	 * An idle confirm channel, or a new one; a closed one (its connection was lost) is dropped. Waits
	 * while RabbitMQ blocks the connection, until {@code deadline} (a {@link System#nanoTime()}).
	 */
	private Channel idleOrNewChannel(long deadline) throws IOException, TimeoutException, InterruptedException {
		Channel channel;
		while ((channel = this.idleChannels.poll()) != null) {
			if (channel.isOpen()) {
				try {
					this.blocks.awaitUnblocked(unproxied(channel).getConnection(), deadline, this.confirmTimeout);
				}
				catch (TimeoutException | InterruptedException ex) {
					this.idleChannels.add(channel);
					throw ex;
				}
				return channel;
			}
		}
		this.delays.forget();
		this.declared.clear();
		Connection connection = publishers().createConnection();
		this.blocks.awaitUnblocked(connection.getDelegate(), deadline, this.confirmTimeout);
		channel = connection.createChannel(false);
		if (channel.getNextPublishSeqNo() == 0) {
			// a round trip, unless the cached channel is in confirm mode already
			channel.confirmSelect();
		}
		return channel;
	}

	/** The connection factory for publishing: the publisher factory where there is one. */
	private ConnectionFactory publishers() {
		ConnectionFactory publishers = this.connectionFactory.getPublisherConnectionFactory();
		return (publishers != null) ? publishers : this.connectionFactory;
	}

	private static long millisUntil(long deadline) {
		return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
	}

	/** The channel behind a cached channel's proxy, which would quietly open another if it closed. */
	private static Channel unproxied(Channel channel) throws IOException {
		Channel target = (channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : channel;
		if (target == null || !target.isOpen()) {
			throw new IOException("the publishing channel closed");
		}
		return target;
	}

	/** Close the idle channels. */
	void close() {
		Channel channel;
		while ((channel = this.idleChannels.poll()) != null) {
			RabbitTaskBroker.closeQuietly(channel);
		}
		this.closer.shutdown();
	}

	private record Publication(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
	}

}
