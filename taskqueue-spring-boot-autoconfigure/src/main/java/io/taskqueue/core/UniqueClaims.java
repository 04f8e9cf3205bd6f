package io.taskqueue.core;

import java.time.Duration;

import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.TaskResult;
import io.taskqueue.unique.UniqueTaskLocks;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a unique send goes ahead: it does when it claims the key, or when the task
 * holding the key has already finished (its result is ready), in which case the key is taken over.
 */
final class UniqueClaims {

	private static final int MAX_ATTEMPTS = 16;

	private final UniqueTaskLocks locks;

	private final ResultBackend backend;

	UniqueClaims(UniqueTaskLocks locks, ResultBackend backend) {
		this.locks = locks;
		this.backend = backend;
	}

	/**
	 * Claim a key for a task.
	 * @param key the unique key
	 * @param taskId the task to send
	 * @param holdFor how long the key is held at most
	 * @return {@code null} if the task may be sent, otherwise the id of the queued or running task
	 * that holds the key
	 */
	@Nullable String claim(String key, String taskId, Duration holdFor) {
		for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
			String holder = this.locks.claim(key, taskId, holdFor);
			if (holder == null) {
				return null;
			}
			if (!finished(holder)) {
				return holder;
			}
			if (this.locks.takeOver(key, holder, taskId, holdFor)) {
				return null;
			}
		}
		throw new IllegalStateException("Could not claim unique key '" + key + "': it changed hands "
				+ MAX_ATTEMPTS + " times while sending");
	}

	void release(String key, String taskId) {
		this.locks.release(key, taskId);
	}

	private boolean finished(String taskId) {
		TaskResult result = this.backend.get(taskId);
		return result != null && result.state().isReady();
	}

}
