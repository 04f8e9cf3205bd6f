package io.taskqueue.result;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * The result backend SPI: stores each task's latest {@link TaskResult} with a time to live and
 * tells waiters when a task is ready.
 *
 * <p>Two rules every implementation keeps, so that redelivered duplicates and late writers cannot
 * corrupt what callers see: a stored {@code SUCCESS} is never overwritten, and a {@code PENDING}
 * record is only written where nothing is stored yet.
 */
public interface ResultBackend {

	/**
	 * Store the latest state of a task, subject to the rules above.
	 * @param result the state to store
	 */
	void store(TaskResult result);

	/**
	 * Store the latest state of a task like {@link #store}, without waiting for the write: the worker
	 * uses it for a finished task's outcome, and acknowledges the task's message only once the
	 * returned future completes. A value that cannot be written fails at once, in the caller; a
	 * failed write completes the future exceptionally, or may also throw at once. The future may
	 * complete on a thread of the backend's, so what depends on it must not block. By default the
	 * state is {@link #store stored} synchronously, and any failure is thrown at once.
	 * @param result the state to store
	 * @return completes once the state is stored
	 */
	default CompletableFuture<@Nullable Void> storeAsync(TaskResult result) {
		store(result);
		return CompletableFuture.completedFuture(null);
	}

	/**
	 * Record that a task started ({@code STARTED}, with where it runs). Backends may write it
	 * asynchronously, as long as any state of the same task stored afterwards is applied after it;
	 * by default it is {@link #store stored} synchronously.
	 * @param started the started state
	 */
	default void recordStarted(TaskResult started) {
		store(started);
	}

	/**
	 * Record that a task was just sent ({@code PENDING}, with its name), a hint written only where
	 * nothing is stored yet. Its {@link TaskResult#replyTo()} is this process's
	 * {@link #replyAddress()} when this process published the message itself. Backends may write it
	 * asynchronously, as long as {@link #get} in this process sees it at once; by default it is
	 * {@link #store stored} synchronously.
	 * @param pending the pending state
	 */
	default void recordPending(TaskResult pending) {
		store(pending);
	}

	/**
	 * The reply address that producers of this process stamp on their messages ({@code reply_to}),
	 * for a backend that announces the ready states of a process's tasks on one channel of its own
	 * instead of one per task; {@code null} (the default) lets the producer choose one.
	 * @return the reply address, or {@code null}
	 */
	default @Nullable String replyAddress() {
		return null;
	}

	/**
	 * Whether what is stored here can be read by every worker of the application, so that a
	 * redelivered task is found done; {@code false} for a backend that keeps nothing or keeps it in
	 * one process.
	 * @return {@code true} by default
	 */
	default boolean isShared() {
		return true;
	}

	/**
	 * Write whatever this backend queued to write later ({@link #recordStarted},
	 * {@link #recordPending}) now, and return once it is written. Called when the application stops,
	 * after the workers and before the connections close.
	 */
	default void flush() {
	}

	/**
	 * Read the latest state of a task.
	 * @param taskId the task id
	 * @return the stored state, or {@code null} if nothing is known about the task
	 */
	@Nullable TaskResult get(String taskId);

	/**
	 * Return a future completed with the task's result as soon as it is ready (already, or when it is
	 * stored later), without polling where the backend can notify. Cancelling the future releases
	 * whatever the backend holds for it.
	 * @param taskId the task id
	 * @return the future
	 */
	CompletableFuture<TaskResult> whenReady(String taskId);

	/**
	 * Remove what is stored for a task.
	 * @param taskId the task id
	 */
	void forget(String taskId);

	/**
	 * Record the size of a chord before its members are published (Celery's
	 * {@code celery-taskset-meta-<group>.s}).
	 * @param groupId the chord's group id
	 * @param size how many members it has
	 */
	void startChord(String groupId, int size);

	/**
	 * Record that a chord member finished (successfully or not). Exactly one call per chord, the one
	 * that completes it, gets the members' results in member order; a member that runs again after a
	 * redelivery never completes a chord twice.
	 * @param groupId the chord's group id
	 * @param groupIndex the member's position, or {@code null} if unknown
	 * @param member the member's final state
	 * @return the members' results in member order if this call completed the chord, else {@code null}
	 */
	java.util.@Nullable List<TaskResult> completeChordMember(String groupId, @Nullable Integer groupIndex,
			TaskResult member);

	/**
	 * Record that a task is revoked, for every worker (including ones started later) until the time
	 * to live passes; with {@code terminate}, also tell the workers' revocation listeners so that a
	 * running execution is interrupted.
	 * @param taskId the task id
	 * @param terminate whether a running execution must be interrupted
	 * @param timeToLive how long the revocation is remembered
	 */
	void revoke(String taskId, boolean terminate, java.time.Duration timeToLive);

	/**
	 * Whether a task was revoked.
	 * @param taskId the task id
	 * @return {@code true} while its revocation is remembered
	 */
	boolean isRevoked(String taskId);

	/**
	 * Register a listener called, in any process sharing this backend, with the id of each task
	 * revoked with {@code terminate}.
	 * @param listener the listener
	 */
	void addTerminationListener(java.util.function.Consumer<String> listener);

}
