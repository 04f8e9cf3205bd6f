package io.taskqueue.listener.adapter;

/**
 * Thrown when a message's arguments do not fit the task method: wrong count, unknown or missing
 * keyword arguments, or a value that cannot be converted to the parameter's type. The task is not
 * executed and ends in FAILURE with this message.
 */
public class ArgumentBindingException extends RuntimeException {

	/**
	 * Create a new instance.
	 * @param message what did not fit, naming the task and the parameter
	 * @param cause the conversion error, if any
	 */
	public ArgumentBindingException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Create a new instance.
	 * @param message what did not fit, naming the task and the parameter
	 */
	public ArgumentBindingException(String message) {
		super(message);
	}

}
