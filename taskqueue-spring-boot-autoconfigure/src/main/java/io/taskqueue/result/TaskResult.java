package io.taskqueue.result;

import java.time.Instant;

import io.taskqueue.core.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * What a result backend stores for one task: its status and, depending on it, the result value,
 * the error or progress metadata.
 *
 * @param taskId the task id
 * @param status the Celery status string ({@code PENDING}, {@code SUCCESS}, ... or a custom state)
 * @param result the return value for {@code SUCCESS}; metadata for {@code STARTED} and custom states
 * @param error the error for {@code FAILURE}, {@code RETRY} and {@code REVOKED}
 * @param traceback the stack trace of the error, if any
 * @param dateDone when the task became ready, {@code null} while it is not
 * @param taskName the task name, when known
 * @param parentId the id of the task that published this one, if any
 * @param groupId the group the task belongs to, if any
 * @param replyTo the reply address of the process that sent the task ({@code reply_to}), where a
 * backend that can notify announces the task's ready state; never stored
 */
public record TaskResult(String taskId, String status, @Nullable Object result, @Nullable TaskError error,
		@Nullable String traceback, @Nullable Instant dateDone, @Nullable String taskName, @Nullable String parentId,
		@Nullable String groupId, @Nullable String replyTo) {

	/**
	 * Create a result with no reply address.
	 * @param taskId the task id
	 * @param status the Celery status string
	 * @param result the return value or metadata
	 * @param error the error, if any
	 * @param traceback the stack trace of the error, if any
	 * @param dateDone when the task became ready
	 * @param taskName the task name, when known
	 * @param parentId the parent task id, if any
	 * @param groupId the group id, if any
	 */
	public TaskResult(String taskId, String status, @Nullable Object result, @Nullable TaskError error,
			@Nullable String traceback, @Nullable Instant dateDone, @Nullable String taskName, @Nullable String parentId,
			@Nullable String groupId) {
		this(taskId, status, result, error, traceback, dateDone, taskName, parentId, groupId, null);
	}

	/**
	 * A record that the task was sent: known, not yet executed.
	 * @param taskId the task id
	 * @param taskName the task name
	 * @return the record
	 */
	public static TaskResult pending(String taskId, String taskName) {
		return new TaskResult(taskId, TaskState.PENDING.name(), null, null, null, null, taskName, null, null);
	}

	/**
	 * A record that a worker started the task.
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param meta what Celery stores for STARTED: the worker's {@code pid} and {@code hostname}
	 * @return the record
	 */
	public static TaskResult started(String taskId, String taskName, Object meta) {
		return new TaskResult(taskId, TaskState.STARTED.name(), meta, null, null, null, taskName, null, null);
	}

	/**
	 * A record that the task finished with a value.
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param value the return value
	 * @param dateDone when it finished
	 * @return the record
	 */
	public static TaskResult success(String taskId, String taskName, @Nullable Object value, Instant dateDone) {
		return new TaskResult(taskId, TaskState.SUCCESS.name(), value, null, null, dateDone, taskName, null, null);
	}

	/**
	 * A record that the task finished with an error.
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param error the error
	 * @param traceback the stack trace, if any
	 * @param dateDone when it finished
	 * @return the record
	 */
	public static TaskResult failure(String taskId, String taskName, TaskError error, @Nullable String traceback,
			Instant dateDone) {
		return new TaskResult(taskId, TaskState.FAILURE.name(), null, error, traceback, dateDone, taskName, null, null);
	}

	/**
	 * A record that the task was revoked (or expired) and will not run.
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param reason {@code revoked} or {@code expired}, as Celery's {@code TaskRevokedError} says
	 * @param dateDone when it was revoked
	 * @return the record
	 */
	public static TaskResult revoked(String taskId, String taskName, String reason, Instant dateDone) {
		TaskError error = new TaskError("TaskRevokedError", reason, "celery.exceptions");
		return new TaskResult(taskId, TaskState.REVOKED.name(), null, error, null, dateDone, taskName, null, null);
	}

	/**
	 * Return the state this status maps to.
	 * @return the state
	 */
	public TaskState state() {
		return TaskState.of(this.status);
	}

	/**
	 * Whether the task is finished.
	 * @return {@code true} for SUCCESS, FAILURE and REVOKED
	 */
	public boolean isReady() {
		return state().isReady();
	}

	/**
	 * Return a copy that records the given workflow position.
	 * @param parentId the parent task id
	 * @param groupId the group id
	 * @return the copy
	 */
	public TaskResult withLineage(@Nullable String parentId, @Nullable String groupId) {
		return withLineage(parentId, groupId, this.replyTo);
	}

	/**
	 * Return a copy that records the given workflow position and where to announce the result.
	 * @param parentId the parent task id
	 * @param groupId the group id
	 * @param replyTo the sender's reply address ({@code reply_to} of the task's message)
	 * @return the copy
	 */
	public TaskResult withLineage(@Nullable String parentId, @Nullable String groupId, @Nullable String replyTo) {
		return new TaskResult(this.taskId, this.status, this.result, this.error, this.traceback, this.dateDone,
				this.taskName, parentId, groupId, replyTo);
	}

}
