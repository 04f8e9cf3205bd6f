package io.taskqueue.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Asks the worker to retry the running task (Celery's {@code Retry}); obtain it from
 * {@link TaskContext#retry(Throwable)} and throw it: {@code throw ctx.retry(e, Duration.ofSeconds(5))}.
 * The task is re-published with its retry count incremented and a countdown; once its retry budget is
 * spent it fails with the cause.
 */
public class TaskRetryException extends RuntimeException {

	private final @Nullable Duration countdown;

	/**
	 * Create a new instance.
	 * @param cause why the task is retried, recorded with the RETRY state
	 * @param countdown the delay before the retry, or {@code null} for the task's retry policy
	 */
	public TaskRetryException(Throwable cause, @Nullable Duration countdown) {
		super("Retry requested: " + cause, cause);
		this.countdown = countdown;
	}

	/** @return the requested countdown, or {@code null} to use the task's retry policy */
	public @Nullable Duration getCountdown() {
		return this.countdown;
	}

}
