package io.taskqueue.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a message cannot be turned into a task: wrong content type, invalid JSON, wrong body
 * shape or missing headers. The message says what was wrong; the task id is kept when one was found.
 */
public class MessageDecodingException extends RuntimeException {

	private final @Nullable String taskId;

	/**
	 * Create a new instance.
	 * @param message what was wrong with the message
	 * @param taskId the id of the task, when the headers carried one
	 * @param cause the underlying cause, if any
	 */
	public MessageDecodingException(String message, @Nullable String taskId, @Nullable Throwable cause) {
		super(message, cause);
		this.taskId = taskId;
	}

	/**
	 * Return the id of the task the message was for, if it could be read.
	 * @return the task id or {@code null}
	 */
	public @Nullable String getTaskId() {
		return this.taskId;
	}

}
