package io.taskqueue.listener;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Worker-wide execution defaults ({@code taskqueue.worker.*}) that apply to every task.
 *
 * @param acksLate whether tasks may acknowledge late; {@code false} makes every task acknowledge early
 * @param maxDeliveries deliveries after which a message is dead-lettered instead of run again
 * ({@code 0} for no cap)
 * @param timeLimit the hard time limit of tasks that declare none, or {@code null}
 * @param softTimeLimit the soft time limit of tasks that declare none, or {@code null}
 */
public record WorkerPolicy(boolean acksLate, int maxDeliveries, @Nullable Duration timeLimit,
		@Nullable Duration softTimeLimit) {

	/** Acks-late, a cap of 10 deliveries, no time limits. */
	public static final WorkerPolicy DEFAULTS = new WorkerPolicy(true, 10, null, null);

}
