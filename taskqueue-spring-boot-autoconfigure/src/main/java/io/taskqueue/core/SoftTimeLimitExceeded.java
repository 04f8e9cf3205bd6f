package io.taskqueue.core;

/**
 * Thrown by {@link TaskContext#checkSoftTimeLimit()} once the task ran past its soft time limit, so it
 * can clean up before its hard limit; the task's thread is also interrupted at that moment.
 */
public class SoftTimeLimitExceeded extends RuntimeException {

	/**
	 * Create a new instance.
	 * @param message which limit was exceeded
	 */
	public SoftTimeLimitExceeded(String message) {
		super(message);
	}

}
