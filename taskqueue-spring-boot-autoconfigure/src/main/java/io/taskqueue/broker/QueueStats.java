package io.taskqueue.broker;

/**
 * Counts of a queue at one moment; {@code -1} where a broker cannot tell.
 *
 * @param queue the queue name
 * @param ready messages waiting to be consumed
 * @param delayed messages held until their delivery time
 * @param inFlight messages delivered and not yet settled
 * @param deadLettered messages in the queue's dead-letter store
 */
public record QueueStats(String queue, long ready, long delayed, long inFlight, long deadLettered) {

}
