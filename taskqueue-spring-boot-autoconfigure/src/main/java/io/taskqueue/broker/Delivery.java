package io.taskqueue.broker;

import io.taskqueue.protocol.WireMessage;

/**
 * A message handed to a consumer, to be settled with exactly one of ack, reject or dead-letter.
 *
 * @param queue the queue it came from
 * @param message the message
 * @param redelivered whether it was delivered before (a restored or requeued message)
 * @param deliveryCount how many times it has been delivered, including this time (at least 1)
 * @param tag the broker's handle for settling it; opaque to everyone else
 */
public record Delivery(String queue, WireMessage message, boolean redelivered, int deliveryCount, Object tag) {

}
