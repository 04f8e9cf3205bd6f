package io.taskqueue.core;

/**
 * Base class of the exceptions taskqueue throws to callers.
 */
public class TaskException extends RuntimeException {

	/**
	 * Create a new instance.
	 * @param message the detail message
	 * @param cause the cause, if any
	 */
	public TaskException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Create a new instance.
	 * @param message the detail message
	 */
	public TaskException(String message) {
		super(message);
	}

}
