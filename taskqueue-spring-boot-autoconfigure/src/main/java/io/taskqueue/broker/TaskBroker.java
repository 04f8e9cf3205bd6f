package io.taskqueue.broker;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The broker SPI: moves {@link io.taskqueue.protocol.WireMessage}s between producers and workers.
 *
 * <p>Consumption is pull-based so that a worker only takes what it has free slots for:
 * {@link #poll} blocks until at least one message is ready (never busy-polls) and returns at most
 * {@code max}. Every returned {@link Delivery} must end in exactly one of {@link #ack},
 * {@link #reject} or {@link #deadLetter}; until then it is in flight and, where the broker has
 * visibility timeouts, kept alive by {@link #renewLeases}. Optional behaviour is described by
 * {@link #capabilities()} rather than by more methods.
 */
public interface TaskBroker {

	/**
	 * Describe what this broker supports.
	 * @return the capabilities
	 */
	BrokerCapabilities capabilities();

	/**
	 * Make sure a queue (and whatever routing the broker needs for it) exists.
	 * @param queue the queue name
	 */
	void declareQueue(String queue);

	/**
	 * Publish a message; a message with a future {@link OutboundMessage#deliverAt()} is held by the
	 * broker until then when {@link BrokerCapabilities#delayedDelivery()} is true.
	 * @param message the message and its destination
	 * @throws BrokerException if the broker cannot take the message
	 */
	void publish(OutboundMessage message);

	/**
	 * Publish a message without waiting for the broker to take it, where the broker allows: the
	 * future completes once it has (for RabbitMQ, on its publisher confirm). The default publishes
	 * in the calling thread, as {@link #publish} does, and returns a completed future.
	 * @param message the message and its destination
	 * @return completes when the broker has the message, or with the {@link BrokerException} of why
	 * it does not; it may complete on a thread of the broker's, so what depends on it must not block
	 */
	default CompletableFuture<Void> publishAsync(OutboundMessage message) {
		try {
			publish(message);
			return CompletableFuture.completedFuture(null);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Publish several messages, in one round trip where the broker allows.
	 * @param messages the messages
	 * @throws BrokerException if the broker cannot take the messages
	 */
	default void publishAll(List<OutboundMessage> messages) {
		messages.forEach(this::publish);
	}

	/**
	 * Take up to {@code max} ready messages from a queue, waiting up to {@code timeout} for the first.
	 * @param queue the queue
	 * @param max the largest number of messages to return, at least 1
	 * @param timeout how long to wait for a first message
	 * @return the deliveries, empty if none arrived in time
	 * @throws InterruptedException if the calling thread is interrupted while waiting
	 * @throws BrokerException if the broker cannot be reached
	 */
	List<Delivery> poll(String queue, int max, Duration timeout) throws InterruptedException;

	/**
	 * Acknowledge a delivery: the message is done and removed.
	 * @param delivery the delivery
	 */
	void ack(Delivery delivery);

	/**
	 * Acknowledge a delivery whose outcome is already recorded, without waiting for the broker to
	 * confirm it. The acknowledgement may reach the broker shortly after this returns and is lost if
	 * the process dies first; the message is then redelivered, and a worker finds its recorded outcome
	 * instead of running it again. By default the same as {@link #ack}.
	 * @param delivery the delivery
	 */
	default void ackLater(Delivery delivery) {
		ack(delivery);
	}

	/**
	 * Send whatever this broker queued to send later ({@link #ackLater}) now, and return once it is
	 * sent. Called when the application stops, after the workers and before the connections close.
	 */
	default void flush() {
	}

	/**
	 * Give a delivery back.
	 * @param delivery the delivery
	 * @param requeue {@code true} to make it available again, {@code false} to drop it
	 */
	void reject(Delivery delivery, boolean requeue);

	/**
	 * Move a delivery to its queue's dead-letter store, recording why.
	 * @param delivery the delivery
	 * @param reason a human-readable reason
	 */
	void deadLetter(Delivery delivery, String reason);

	/**
	 * List a queue's dead letters, newest first where the broker keeps an order.
	 * @param queue the queue
	 * @param limit the most to return
	 * @return the dead letters with their reasons
	 */
	List<DeadLetter> deadLetters(String queue, int limit);

	/**
	 * Move a dead letter back to its queue, to be consumed again.
	 * @param queue the queue it was dead-lettered from
	 * @param taskId the id of its task
	 * @return {@code false} if no dead letter of that task was found
	 */
	boolean requeueDeadLetter(String queue, String taskId);

	/**
	 * Tell the broker that these in-flight deliveries are still being worked on, so that a visibility
	 * timeout does not hand them to another worker. A no-op for brokers without leases.
	 * @param deliveries the in-flight deliveries
	 */
	void renewLeases(Collection<Delivery> deliveries);

	/**
	 * Return the current counts of a queue.
	 * @param queue the queue
	 * @return the statistics
	 */
	QueueStats stats(String queue);

	/**
	 * Remove every ready and delayed message of a queue.
	 * @param queue the queue
	 * @return how many messages were removed
	 */
	long purge(String queue);

}
