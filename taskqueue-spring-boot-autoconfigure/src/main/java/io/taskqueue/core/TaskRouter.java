package io.taskqueue.core;

import org.jspecify.annotations.Nullable;

/**
 * Chooses the queue a task is sent to when the sender did not name one. Routers are consulted in
 * order; the first non-null answer wins, and the default queue is used when none answers.
 */
@FunctionalInterface
public interface TaskRouter {

	/**
	 * Return the queue for a task, or {@code null} to let the next router decide.
	 * @param taskName the task name
	 * @return the queue or {@code null}
	 */
	@Nullable String route(String taskName);

}
