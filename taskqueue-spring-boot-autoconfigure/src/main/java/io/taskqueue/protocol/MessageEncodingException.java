package io.taskqueue.protocol;

/**
 * Thrown before anything is published when a task's arguments cannot be written as JSON.
 */
public class MessageEncodingException extends IllegalArgumentException {

	/**
	 * Create a new instance.
	 * @param message what could not be encoded
	 * @param cause the serializer's error
	 */
	public MessageEncodingException(String message, Throwable cause) {
		super(message, cause);
	}

}
