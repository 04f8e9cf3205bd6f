package io.taskqueue.actuate;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.taskqueue.beat.BeatScheduler;
import io.taskqueue.broker.QueueStats;
import io.taskqueue.cluster.WorkerInfo;
import io.taskqueue.core.TaskState;
import io.taskqueue.listener.ActiveTask;
import io.taskqueue.listener.TaskOptions;
import io.taskqueue.listener.TaskQueueContainer;
import io.taskqueue.observation.TaskActivity.RecentTask;
import io.taskqueue.result.TaskError;
import org.jspecify.annotations.Nullable;

/**
 * The documents the {@link TasksEndpoint} returns, serialized as JSON.
 */
public final class TasksEndpointDescriptors {

	private TasksEndpointDescriptors() {
	}

	/**
	 * The endpoint's main document.
	 *
	 * @param workers the cluster's live workers, from their heartbeats
	 * @param registered the tasks this worker implements
	 * @param queues the consumed (or default) queues with their counts
	 * @param consumers this worker's consumers
	 * @param active the tasks this process is running
	 * @param counts how many tasks reached each state in this process
	 * @param recent the most recently active tasks seen by this process
	 * @param beat the periodic tasks with their schedule, last and next fire time
	 */
	public record TasksDescriptor(List<WorkerInfo> workers, List<RegisteredTaskDescriptor> registered,
			List<QueueStats> queues, List<ConsumerDescriptor> consumers, List<ActiveTask> active,
			Map<TaskState, Long> counts, List<RecentTask> recent, List<BeatScheduler.EntryStatus> beat) {

	}

	/**
	 * A task implementation.
	 *
	 * @param name the task name
	 * @param queue the queue its listener declares, if any
	 * @param method the implementing method
	 * @param options its execution options (retries, limits, acks, rate limit, uniqueness)
	 */
	public record RegisteredTaskDescriptor(String name, @Nullable String queue, String method, TaskOptions options) {

	}

	/**
	 * One consumer of this worker.
	 *
	 * @param queue the queue consumed
	 * @param running whether it is started
	 * @param paused whether it was paused through the endpoint
	 * @param active how many tasks it is executing
	 * @param slots how many messages it may hold at once
	 * @param lastPoll when the broker last answered it
	 * @param error the error that currently stops it, if any
	 */
	public record ConsumerDescriptor(String queue, boolean running, boolean paused, int active, int slots,
			@Nullable Instant lastPoll, @Nullable String error) {

		static ConsumerDescriptor of(TaskQueueContainer container) {
			return new ConsumerDescriptor(container.getQueue(), container.isRunning(), container.isPaused(),
					container.getActiveCount(), container.getSlotCount(), container.getLastPoll(),
					container.getLastError());
		}

	}

	/**
	 * One task as the result backend knows it.
	 *
	 * @param id the task id
	 * @param name the task name, if recorded
	 * @param state the state
	 * @param status the raw status (a custom state such as PROGRESS shows here)
	 * @param result the result or progress metadata
	 * @param error the error, if it failed
	 * @param traceback the error's stack trace
	 * @param dateDone when it became ready
	 * @param parentId the task that published it
	 * @param groupId its group
	 */
	public record TaskDescriptor(String id, @Nullable String name, TaskState state, String status,
			@Nullable Object result, @Nullable TaskError error, @Nullable String traceback, @Nullable Instant dateDone,
			@Nullable String parentId, @Nullable String groupId) {

	}

}
