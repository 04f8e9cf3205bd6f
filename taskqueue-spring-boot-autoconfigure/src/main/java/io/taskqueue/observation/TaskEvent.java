package io.taskqueue.observation;

import java.time.Duration;
import java.time.Instant;

import io.taskqueue.core.TaskState;
import io.taskqueue.result.TaskError;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened to a task in this process: sent ({@link TaskState#PENDING}), received,
 * started, retried, succeeded, failed or revoked.
 *
 * @param state the state the task reached
 * @param taskId the task id
 * @param taskName the task name
 * @param queue the queue it was sent to or consumed from, if known
 * @param timestamp when it happened
 * @param runtime how long the task ran, for ready states reached by execution
 * @param error the error, for failures and retries
 * @param queueWait for {@link TaskState#RECEIVED}: how long the message waited in the queue from
 * publication (or its eta, if later) until a worker took it; {@code null} when the producer did
 * not stamp its messages (Python Celery does not)
 * @param redelivered for {@link TaskState#RECEIVED}: whether the broker had delivered the message
 * before
 */
public record TaskEvent(TaskState state, String taskId, String taskName, @Nullable String queue, Instant timestamp,
		@Nullable Duration runtime, @Nullable TaskError error, @Nullable Duration queueWait, boolean redelivered) {

	/**
	 * Create an event without queue-wait and redelivery details.
	 * @param state the state the task reached
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param queue the queue, if known
	 * @param timestamp when it happened
	 * @param runtime how long the task ran, if it ran
	 * @param error the error, if any
	 */
	public TaskEvent(TaskState state, String taskId, String taskName, @Nullable String queue, Instant timestamp,
			@Nullable Duration runtime, @Nullable TaskError error) {
		this(state, taskId, taskName, queue, timestamp, runtime, error, null, false);
	}

}
