package io.taskqueue.core;

import io.taskqueue.result.TaskError;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when waiting for a task that ended in {@code FAILURE} or {@code REVOKED}; carries the
 * remote exception's type, message and traceback, whichever language the worker was written in.
 */
public class TaskFailedException extends TaskException {

	private final String taskId;

	private final TaskState state;

	private final TaskError error;

	private final @Nullable String remoteTraceback;

	/**
	 * Create a new instance.
	 * @param taskId the task id
	 * @param state the final state
	 * @param error the remote error
	 * @param remoteTraceback the remote stack trace, if recorded
	 */
	public TaskFailedException(String taskId, TaskState state, TaskError error, @Nullable String remoteTraceback) {
		super("Task " + taskId + " ended in " + state + ": " + error);
		this.taskId = taskId;
		this.state = state;
		this.error = error;
		this.remoteTraceback = remoteTraceback;
	}

	/** @return the id of the failed task */
	public String getTaskId() {
		return this.taskId;
	}

	/** @return {@link TaskState#FAILURE} or {@link TaskState#REVOKED} */
	public TaskState getState() {
		return this.state;
	}

	/** @return the remote error */
	public TaskError getError() {
		return this.error;
	}

	/** @return the remote exception's type name, e.g. {@code ValueError} */
	public String getRemoteType() {
		return this.error.type();
	}

	/** @return the remote exception's message, if any */
	public @Nullable String getRemoteMessage() {
		return this.error.message();
	}

	/** @return the remote stack trace, if the worker recorded one */
	public @Nullable String getRemoteTraceback() {
		return this.remoteTraceback;
	}

}
