package io.taskqueue.core;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The running task's own request: declare a parameter of this type on a {@code @TaskListener}
 * method to receive it (Celery's {@code self.request}).
 */
public interface TaskContext {

	/** @return the task id */
	String id();

	/** @return the task name */
	String name();

	/** @return how many times the task has been retried already */
	int retries();

	/** @return the id of the first task of the workflow */
	String rootId();

	/** @return the id of the task that published this one, or {@code null} */
	@Nullable String parentId();

	/** @return the group this task belongs to, or {@code null} */
	@Nullable String groupId();

	/** @return the queue the task was consumed from */
	String queue();

	/** @return whether the message was delivered before (after a worker crash or a requeue) */
	boolean redelivered();

	/** @return the custom headers the task was sent with */
	Map<String, Object> headers();

	/**
	 * Return a request to retry this task after the countdown of its retry policy; throw it.
	 * @param cause why the task is retried
	 * @return the exception to throw
	 */
	TaskRetryException retry(Throwable cause);

	/**
	 * Return a request to retry this task after the given countdown; throw it:
	 * {@code throw ctx.retry(e, Duration.ofSeconds(5))}.
	 * @param cause why the task is retried
	 * @param countdown the delay before the retry
	 * @return the exception to throw
	 */
	TaskRetryException retry(Throwable cause, Duration countdown);

	/**
	 * Record a custom state with metadata, e.g. {@code updateState("PROGRESS", Map.of("done", 40))}; it
	 * is visible through {@code AsyncResult.info()} until the task finishes.
	 * @param state the state name
	 * @param meta the metadata, written as JSON
	 */
	void updateState(String state, Object meta);

	/**
	 * Whether the task ran past its soft time limit.
	 * @return {@code true} once the soft limit passed
	 */
	boolean isSoftTimeLimitExceeded();

	/**
	 * Throw {@link SoftTimeLimitExceeded} if the task ran past its soft time limit; call it at points
	 * where the task can stop cleanly.
	 * @throws SoftTimeLimitExceeded if the soft limit passed
	 */
	default void checkSoftTimeLimit() {
		if (isSoftTimeLimitExceeded()) {
			throw new SoftTimeLimitExceeded("Task " + name() + "[" + id() + "] exceeded its soft time limit");
		}
	}

}
