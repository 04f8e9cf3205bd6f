package io.taskqueue.broker.rabbit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

/**
 * The subscription of one queue: a channel with manual acknowledgements and a prefetch equal to the
 * worker's slots, whose deliveries wait in a buffer until the worker polls. When the channel closes
 * (connection loss, {@code consumer_timeout}), RabbitMQ requeues everything unacknowledged, so the
 * buffer is dropped and the next poll subscribes again.
 */
final class RabbitQueueConsumer {

	private static final Log logger = LogFactory.getLog(RabbitQueueConsumer.class);

	private final String queue;

	private final ConnectionFactory connectionFactory;

	private final int prefetch;

	private final LinkedBlockingQueue<Received> buffer = new LinkedBlockingQueue<>();

	private volatile @Nullable Channel channel;

	private volatile @Nullable ChannelAcks acks;

	RabbitQueueConsumer(String queue, ConnectionFactory connectionFactory, int prefetch) {
		this.queue = queue;
		this.connectionFactory = connectionFactory;
		this.prefetch = prefetch;
	}

	/**
	 * Wait up to {@code timeout} for a first delivery and return up to {@code max}.
	 */
	List<Received> take(int max, Duration timeout) throws IOException, InterruptedException {
		ChannelAcks current = ensureSubscribed();
		List<Received> taken = new ArrayList<>();
		Received first = this.buffer.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
		if (first == null) {
			return taken;
		}
		taken.add(first);
		this.buffer.drainTo(taken, max - 1);
		taken.removeIf((received) -> received.acks() != current || !current.channel().isOpen());
		return taken;
	}

	private synchronized ChannelAcks ensureSubscribed() throws IOException {
		Channel current = this.channel;
		ChannelAcks acks = this.acks;
		if (current != null && acks != null && current.isOpen() && acks.channel().isOpen()) {
			return acks;
		}
		close();
		Channel fresh = this.connectionFactory.createConnection().createChannel(false);
		// Deliveries are settled on the channel itself, whose tags they are, never through the proxy,
		// which may stand for another channel later.
		Channel target = (fresh instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : fresh;
		ChannelAcks freshAcks = new ChannelAcks(target);
		fresh.basicQos(this.prefetch);
		fresh.basicConsume(this.queue, false, new BufferingConsumer(freshAcks));
		this.channel = fresh;
		this.acks = freshAcks;
		return freshAcks;
	}

	synchronized void close() {
		Channel current = this.channel;
		this.channel = null;
		this.acks = null;
		this.buffer.clear();
		if (current != null && current.isOpen()) {
			try {
				// Really closed, not cached for reuse: its unsettled deliveries go back to the queue, and
				// no later consumer shares its delivery tags.
				RabbitUtils.setPhysicalCloseRequired(current, true);
				current.close();
			}
			catch (IOException | java.util.concurrent.TimeoutException | RuntimeException ex) {
				logger.debug("Could not close the consumer channel of '" + this.queue + "'", ex);
			}
			finally {
				RabbitUtils.clearPhysicalCloseRequired();
			}
		}
	}

	/**
	 * A delivery waiting in the buffer, with the channel it must be settled on.
	 */
	record Received(ChannelAcks acks, long deliveryTag, boolean redelivered, AMQP.BasicProperties properties,
			byte[] body) {
	}

	private final class BufferingConsumer extends DefaultConsumer {

		private final ChannelAcks acks;

		BufferingConsumer(ChannelAcks acks) {
			super(acks.channel());
			this.acks = acks;
		}

		@Override
		public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
				byte[] body) {
			this.acks.delivered(envelope.getDeliveryTag());
			RabbitQueueConsumer.this.buffer.add(new Received(this.acks, envelope.getDeliveryTag(),
					envelope.isRedeliver(), properties, body));
		}

		@Override
		public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
			if (!signal.isInitiatedByApplication()) {
				logger.warn("Consumer of queue '" + RabbitQueueConsumer.this.queue + "' lost its channel ("
						+ signal.getMessage() + "); unacknowledged messages go back to the queue. If the reason is"
						+ " a delivery acknowledgement timeout, a task ran longer than RabbitMQ's consumer_timeout.");
			}
		}

		@Override
		public void handleCancel(String consumerTag) {
			logger.warn("RabbitMQ cancelled the consumer of queue '" + RabbitQueueConsumer.this.queue
					+ "' (queue deleted or failed over); subscribing again");
			RabbitQueueConsumer.this.close();
		}

	}

}
