package io.taskqueue.broker;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Counts of a queue at one moment; {@code -1} where a broker cannot tell.
 *
 * @param queue the queue name
 * @param ready messages waiting to be consumed
 * @param delayed messages held until their delivery time
 * @param inFlight messages delivered and not yet settled
 * @param deadLettered messages in the queue's dead-letter store
 * @param oldestAge how long the oldest ready message has been waiting, {@code null} when the queue
 * is empty or the broker cannot tell (RabbitMQ cannot look at a message without taking it; messages
 * from producers other than taskqueue carry no publication time)
 */
public record QueueStats(String queue, long ready, long delayed, long inFlight, long deadLettered,
		@Nullable Duration oldestAge) {

	/**
	 * Create statistics without the oldest message's age.
	 * @param queue the queue name
	 * @param ready messages waiting to be consumed
	 * @param delayed messages held until their delivery time
	 * @param inFlight messages delivered and not yet settled
	 * @param deadLettered messages in the queue's dead-letter store
	 */
	public QueueStats(String queue, long ready, long delayed, long inFlight, long deadLettered) {
		this(queue, ready, delayed, inFlight, deadLettered, null);
	}

}
