package io.taskqueue.broker;

import java.time.Instant;

import io.taskqueue.protocol.WireMessage;
import org.jspecify.annotations.Nullable;

/**
 * A message that was given up on, with the reason.
 *
 * @param queue the queue it came from
 * @param message the message as it was received
 * @param reason why it was dead-lettered
 * @param timestamp when it was dead-lettered
 */
public record DeadLetter(String queue, WireMessage message, String reason, Instant timestamp) {

	/**
	 * Return the id of the dead letter's task, if its headers carry one.
	 * @return the task id or {@code null}
	 */
	public @Nullable String taskId() {
		return this.message.taskId();
	}

}
