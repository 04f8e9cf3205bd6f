package io.taskqueue.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a task could not be handed to the broker; nothing was published.
 */
public class TaskPublishException extends TaskException {

	/**
	 * Create a new instance.
	 * @param message what could not be published, and where to
	 * @param cause the broker's error
	 */
	public TaskPublishException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
