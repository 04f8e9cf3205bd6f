package io.taskqueue.broker;

import java.time.Instant;

import io.taskqueue.protocol.WireMessage;
import org.jspecify.annotations.Nullable;

/**
 * A message to publish and where to.
 *
 * @param queue the destination queue
 * @param message the message
 * @param deliverAt when the message becomes available to consumers, or {@code null} for now
 */
public record OutboundMessage(String queue, WireMessage message, @Nullable Instant deliverAt) {

}
