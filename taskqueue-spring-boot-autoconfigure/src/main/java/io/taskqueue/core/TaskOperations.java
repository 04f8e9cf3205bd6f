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
	 * Send a signature: a task, or a {@link Canvas} chain, group or chord.
	 * @param signature what to send
	 * @return a handle on the final result: the last step's for a chain, the callback's for a chord,
	 * a {@link GroupResult} for a group
	 * @throws TaskPublishException if the broker did not take a message
	 */
	AsyncResult send(Signature signature);

	/**
	 * Return a handle on the result of an existing task.
	 * @param taskId the task id
	 * @return the handle
	 */
	AsyncResult result(String taskId);

}
