package io.taskqueue.core;

import java.util.Locale;

/**
 * The states a task goes through, as Celery names them.
 */
public enum TaskState {

	/** Sent and waiting to be executed (or unknown: see {@code AsyncResult.exists()}). */
	PENDING,

	/** Received by a worker, not yet started. */
	RECEIVED,

	/** Being executed by a worker. */
	STARTED,

	/** Failed and re-published to be tried again. */
	RETRY,

	/** Finished with a result. */
	SUCCESS,

	/** Finished with an error. */
	FAILURE,

	/** Revoked or expired; not executed. */
	REVOKED;

	/**
	 * Whether the task is finished: {@link #SUCCESS}, {@link #FAILURE} or {@link #REVOKED}.
	 * @return {@code true} for a ready state
	 */
	public boolean isReady() {
		return this == SUCCESS || this == FAILURE || this == REVOKED;
	}

	/**
	 * Map a Celery status string to a state; custom states (such as {@code PROGRESS}) are running
	 * tasks, so they map to {@link #STARTED}.
	 * @param status the status string
	 * @return the state
	 */
	public static TaskState of(String status) {
		try {
			return valueOf(status.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return STARTED;
		}
	}

}
