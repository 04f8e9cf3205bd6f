package io.taskqueue.core;

/**
 * Sending tasks and looking up their results; implemented by {@link TaskTemplate}.
 */
public interface TaskOperations {

	/**
	 * Send a task with positional arguments and default options (Celery's {@code delay()}).
	 * @param taskName the registered task name, e.g. {@code emails.send_welcome}
	 * @param args the positional arguments, written as JSON
	 * @return a handle on the task's result
	 * @throws TaskPublishException if the broker did not take the message
	 */
	AsyncResult send(String taskName, Object... args);

	/**
	 * Start describing a task to send with options (Celery's {@code apply_async()}).
	 * @param taskName the registered task name
	 * @return a request to complete and {@link TaskRequest#send() send}
	 */
	TaskRequest task(String taskName);

	/**
	 * Return a handle on the result of an existing task.
	 * @param taskId the task id
	 * @return the handle
	 */
	AsyncResult result(String taskId);

}
