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
 */
public record TaskEvent(TaskState state, String taskId, String taskName, @Nullable String queue, Instant timestamp,
		@Nullable Duration runtime, @Nullable TaskError error) {

}
