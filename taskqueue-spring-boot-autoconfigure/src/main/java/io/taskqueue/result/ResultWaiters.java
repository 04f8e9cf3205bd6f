package io.taskqueue.result;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The callers waiting for tasks to become ready, for {@link ResultBackend} implementations: futures
 * by task id, completed together, each removed when it completes or is cancelled. Hooks tell the
 * backend when a task gains its first waiter and loses its last, so it can subscribe and unsubscribe.
 */
public final class ResultWaiters {

	private final Map<String, List<CompletableFuture<TaskResult>>> waiters = new ConcurrentHashMap<>();

	private final Consumer<String> onFirstWaiter;

	private final Consumer<String> onLastWaiterGone;

	/**
	 * Create waiters with no subscription hooks.
	 */
	public ResultWaiters() {
		this((taskId) -> {
		}, (taskId) -> {
		});
	}

	/**
	 * Create waiters with subscription hooks.
	 * @param onFirstWaiter called with a task id that gained its first waiter
	 * @param onLastWaiterGone called with a task id that lost its last waiter
	 */
	public ResultWaiters(Consumer<String> onFirstWaiter, Consumer<String> onLastWaiterGone) {
		this.onFirstWaiter = onFirstWaiter;
		this.onLastWaiterGone = onLastWaiterGone;
	}

	/**
	 * Register a new waiter for a task.
	 * @param taskId the task id
	 * @return a future completed by {@link #complete(TaskResult)}; cancelling it unregisters it
	 */
	public CompletableFuture<TaskResult> register(String taskId) {
		CompletableFuture<TaskResult> future = new CompletableFuture<>();
		boolean[] first = { false };
		this.waiters.compute(taskId, (id, futures) -> {
			List<CompletableFuture<TaskResult>> list = (futures != null) ? futures : new CopyOnWriteArrayList<>();
			first[0] = list.isEmpty();
			list.add(future);
			return list;
		});
		if (first[0]) {
			this.onFirstWaiter.accept(taskId);
		}
		future.whenComplete((result, ex) -> remove(taskId, future));
		return future;
	}

	/**
	 * Register a waiter, then read the task's current state once, completing the waiter at once if the
	 * task is already ready (registering first means a result stored meanwhile is not missed).
	 * @param taskId the task id
	 * @param reader reads the task's current state
	 * @return the future
	 */
	public CompletableFuture<TaskResult> whenReady(String taskId,
			java.util.function.Function<String, @org.jspecify.annotations.Nullable TaskResult> reader) {
		CompletableFuture<TaskResult> future = register(taskId);
		TaskResult current = reader.apply(taskId);
		if (current != null && current.isReady()) {
			future.complete(current);
		}
		return future;
	}

	/**
	 * Complete every waiter of the task with its (ready) result.
	 * @param result the result
	 */
	public void complete(TaskResult result) {
		List<CompletableFuture<TaskResult>> futures = this.waiters.get(result.taskId());
		if (futures != null) {
			futures.forEach((future) -> future.complete(result));
		}
	}

	/**
	 * Whether a task has waiters.
	 * @param taskId the task id
	 * @return {@code true} if at least one waiter waits for it
	 */
	public boolean isAwaited(String taskId) {
		return this.waiters.containsKey(taskId);
	}

	/**
	 * Return the ids of the tasks that have waiters.
	 * @return the task ids
	 */
	public Set<String> taskIds() {
		return Set.copyOf(this.waiters.keySet());
	}

	private void remove(String taskId, CompletableFuture<TaskResult> future) {
		boolean[] last = { false };
		this.waiters.computeIfPresent(taskId, (id, futures) -> {
			futures.remove(future);
			last[0] = futures.isEmpty();
			return last[0] ? null : futures;
		});
		if (last[0]) {
			this.onLastWaiterGone.accept(taskId);
		}
	}

}
