package io.taskqueue.result;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The result backend of {@code taskqueue.result-backend.type=none}: stores nothing, so tasks are
 * fire-and-forget and waiting for a result fails at once with an explanation.
 */
public class DisabledResultBackend implements ResultBackend {

	/** Nothing is kept. */
	@Override
	public boolean isShared() {
		return false;
	}

	@Override
	public void store(TaskResult result) {
	}

	@Override
	public @Nullable TaskResult get(String taskId) {
		return null;
	}

	@Override
	public CompletableFuture<TaskResult> whenReady(String taskId) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException(
				"Results are disabled (taskqueue.result-backend.type=none): the result of task " + taskId
						+ " is not stored"));
	}

	@Override
	public void forget(String taskId) {
	}

	@Override
	public void startChord(String groupId, int size) {
		throw new UnsupportedOperationException(
				"Chords need a result backend to join their members (taskqueue.result-backend.type is none)");
	}

	@Override
	public @Nullable List<TaskResult> completeChordMember(String groupId, @Nullable Integer groupIndex,
			TaskResult member) {
		return null;
	}

	@Override
	public void revoke(String taskId, boolean terminate, Duration timeToLive) {
		throw new UnsupportedOperationException("Cannot revoke task " + taskId
				+ ": revocations are stored in the result backend, which is disabled (taskqueue.result-backend.type=none)");
	}

	@Override
	public boolean isRevoked(String taskId) {
		return false;
	}

	@Override
	public void addTerminationListener(Consumer<String> listener) {
	}

}
