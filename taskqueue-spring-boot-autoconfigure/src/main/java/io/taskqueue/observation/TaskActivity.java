package io.taskqueue.observation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.taskqueue.core.TaskState;
import io.taskqueue.result.TaskError;
import org.jspecify.annotations.Nullable;

/**
 * What this process has seen of tasks: how many reached each state, and the most recent tasks
 * with their latest state. Feeds the {@code tasks} Actuator endpoint.
 */
public class TaskActivity implements TaskEventListener {

	private final Map<TaskState, LongAdder> counts = new EnumMap<>(TaskState.class);

	private final Map<String, RecentTask> recent;

	/**
	 * Create an activity record that remembers the given number of recent tasks.
	 * @param capacity how many recent tasks to keep
	 */
	public TaskActivity(int capacity) {
		for (TaskState state : TaskState.values()) {
			this.counts.put(state, new LongAdder());
		}
		this.recent = new LinkedHashMap<>(capacity * 2, 0.75f, false) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, RecentTask> eldest) {
				return size() > capacity;
			}
		};
	}

	/**
	 * Count the event and remember the task's state. The producer's "sent" event may arrive after a
	 * fast worker's events, so it never replaces a state already seen.
	 * @param event the event
	 */
	@Override
	public void onEvent(TaskEvent event) {
		this.counts.get(event.state()).increment();
		synchronized (this.recent) {
			RecentTask known = this.recent.remove(event.taskId());
			TaskState state = (known != null && event.state() == TaskState.PENDING) ? known.state() : event.state();
			TaskError error = (event.error() != null) ? event.error() : (known != null) ? known.error() : null;
			this.recent.put(event.taskId(),
					new RecentTask(event.taskId(), event.taskName(), state, event.timestamp(), error));
		}
	}

	/**
	 * Return how many tasks reached each state in this process.
	 * @return counts by state, every state present
	 */
	public Map<TaskState, Long> counts() {
		Map<TaskState, Long> snapshot = new EnumMap<>(TaskState.class);
		this.counts.forEach((state, count) -> snapshot.put(state, count.sum()));
		return snapshot;
	}

	/**
	 * Return how many tasks finished in this process (succeeded, failed or were revoked).
	 * @return the count
	 */
	public long finished() {
		Map<TaskState, Long> counts = counts();
		return counts.getOrDefault(TaskState.SUCCESS, 0L) + counts.getOrDefault(TaskState.FAILURE, 0L)
				+ counts.getOrDefault(TaskState.REVOKED, 0L);
	}

	/**
	 * Return the most recently active tasks, newest first.
	 * @return the recent tasks
	 */
	public List<RecentTask> recent() {
		List<RecentTask> tasks;
		synchronized (this.recent) {
			tasks = new ArrayList<>(this.recent.values());
		}
		java.util.Collections.reverse(tasks);
		return tasks;
	}

	/**
	 * A task's latest state as seen by this process.
	 *
	 * @param id the task id
	 * @param name the task name
	 * @param state the latest state
	 * @param updated when the state was reached
	 * @param error the latest error, for failed and retried tasks (the task's own entry in the
	 * endpoint has the traceback)
	 */
	public record RecentTask(String id, String name, TaskState state, Instant updated, @Nullable TaskError error) {

	}

}
