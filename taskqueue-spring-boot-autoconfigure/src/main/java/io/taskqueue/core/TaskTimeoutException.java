package io.taskqueue.core;

import java.time.Duration;

/**
 * Thrown when a task's result was not ready within the time a caller was willing to wait. The task
 * itself may still run and finish later.
 */
public class TaskTimeoutException extends TaskException {

	/**
	 * Create a new instance.
	 * @param taskId the task id
	 * @param state the state when the wait ended
	 * @param timeout how long the caller waited
	 */
	public TaskTimeoutException(String taskId, TaskState state, Duration timeout) {
		super("Task " + taskId + " was not ready after " + timeout + " (state " + state + ")");
	}

}
