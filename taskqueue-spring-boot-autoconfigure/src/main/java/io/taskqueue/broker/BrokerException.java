package io.taskqueue.broker;

/**
 * Thrown when a broker cannot be reached or refuses an operation.
 */
public class BrokerException extends RuntimeException {

	/**
	 * Create a new instance for a failure without an underlying exception.
	 * @param message what failed
	 */
	public BrokerException(String message) {
		super(message);
	}

	/**
	 * Create a new instance.
	 * @param message what failed
	 * @param cause the client's error
	 */
	public BrokerException(String message, Throwable cause) {
		super(message, cause);
	}

}
