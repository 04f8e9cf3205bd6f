package io.taskqueue.actuate;

import java.util.List;

import io.taskqueue.actuate.TasksEndpointDescriptors.ConsumerDescriptor;
import io.taskqueue.actuate.TasksEndpointDescriptors.RegisteredTaskDescriptor;
import io.taskqueue.actuate.TasksEndpointDescriptors.TaskDescriptor;
import io.taskqueue.actuate.TasksEndpointDescriptors.TasksDescriptor;
import io.taskqueue.beat.BeatScheduler;
import io.taskqueue.broker.QueueStats;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.cluster.WorkerInfo;
import io.taskqueue.cluster.WorkerRegistry;
import io.taskqueue.core.TaskOperations;
import io.taskqueue.listener.ActiveTask;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.listener.TaskMessageProcessor;
import io.taskqueue.observation.TaskActivity;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.TaskResult;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code tasks} Actuator endpoint: registered tasks, queues with their depths, this worker's
 * consumers, task counts by state and recent tasks; {@code /actuator/tasks/{id}} shows one task.
 */
@Endpoint(id = "tasks")
public class TasksEndpoint {

	private final TaskBroker broker;

	private final ResultBackend resultBackend;

	private final @Nullable TaskListenerEndpointRegistry registry;

	private final TaskActivity activity;

	private final String defaultQueue;

	private final @Nullable BeatScheduler beat;

	private final TaskCommands commands;

	private final WorkerRegistry workers;

	private final @Nullable TaskMessageProcessor processor;

	/**
	 * Create the endpoint.
	 * @param tasks revokes tasks
	 * @param workers where the cluster's workers announce themselves
	 * @param broker the broker queues are inspected on
	 * @param resultBackend the backend single tasks are read from
	 * @param registry the worker's registry, or {@code null} in a producer-only process
	 * @param activity what this process has seen of tasks
	 * @param defaultQueue the default queue, always listed
	 * @param beat this instance's beat, or {@code null} when beat is off
	 * @param processor this process's worker, or {@code null} in a producer-only process
	 */
	public TasksEndpoint(TaskOperations tasks, WorkerRegistry workers, TaskBroker broker, ResultBackend resultBackend,
			@Nullable TaskListenerEndpointRegistry registry, TaskActivity activity, String defaultQueue,
			@Nullable BeatScheduler beat, @Nullable TaskMessageProcessor processor) {
		this.processor = processor;
		this.commands = new TaskCommands(tasks, broker, registry);
		this.workers = workers;
		this.broker = broker;
		this.resultBackend = resultBackend;
		this.registry = registry;
		this.activity = activity;
		this.defaultQueue = defaultQueue;
		this.beat = beat;
	}

	/**
	 * Describe tasks, queues and consumers.
	 * @return the description
	 */
	@ReadOperation
	public TasksDescriptor tasks() {
		List<RegisteredTaskDescriptor> registered = (this.registry != null) ? this.registry.getEndpoints()
			.stream()
			.map((endpoint) -> new RegisteredTaskDescriptor(endpoint.name(), endpoint.queue(),
					endpoint.method().getDeclaringClass().getName() + "." + endpoint.method().getName(),
					endpoint.options()))
			.toList() : List.of();
		List<String> queueNames = (this.registry != null) ? List.copyOf(this.registry.getQueues())
				: List.of(this.defaultQueue);
		List<QueueStats> queues = queueNames.stream().map(this::stats).toList();
		List<ConsumerDescriptor> consumers = (this.registry != null)
				? this.registry.getContainers().stream().map(ConsumerDescriptor::of).toList() : List.of();
		List<BeatScheduler.EntryStatus> beatEntries = (this.beat != null) ? this.beat.status() : List.of();
		List<ActiveTask> active = (this.processor != null) ? this.processor.activeTasks() : List.of();
		return new TasksDescriptor(workers(), registered, queues, consumers, active,
				this.activity.counts(), this.activity.recent(), beatEntries);
	}

	/** Statistics of a queue, or -1 counts while the broker cannot be reached. */
	private QueueStats stats(String queue) {
		try {
			return this.broker.stats(queue);
		}
		catch (RuntimeException ex) {
			return new QueueStats(queue, -1, -1, -1, -1);
		}
	}

	/** The cluster's workers, or none while their registry cannot be reached. */
	private List<WorkerInfo> workers() {
		try {
			return this.workers.workers();
		}
		catch (RuntimeException ex) {
			return List.of();
		}
	}

	/**
	 * Describe one task from the result backend.
	 * @param id the task id
	 * @return the description, or {@code null} (404) when the task is unknown
	 */
	@ReadOperation
	public @Nullable TaskDescriptor task(@Selector String id) {
		TaskResult result = this.resultBackend.get(id);
		if (result == null) {
			return null;
		}
		return new TaskDescriptor(result.taskId(), result.taskName(), result.state(), result.status(),
				result.result(), result.error(), result.traceback(), result.dateDone(), result.parentId(),
				result.groupId());
	}

	/**
	 * Revoke a task: workers skip it if it has not started and, with {@code terminate}, interrupt it
	 * if it has. Exposed as {@code DELETE /actuator/tasks/{id}}.
	 * @param id the task id
	 * @param terminate whether a running task is interrupted
	 * @return what was done
	 */
	@DeleteOperation
	public TaskCommands.CommandResult revoke(@Selector String id, @Nullable Boolean terminate) {
		return this.commands.revoke(id, Boolean.TRUE.equals(terminate));
	}

	/**
	 * Act on a queue: {@code pause} or {@code resume} this process's consumer of it, or
	 * {@code requeue} one dead letter (by {@code taskId}). Exposed as
	 * {@code POST /actuator/tasks/{queue}/{action}}.
	 * @param queue the queue
	 * @param action pause, resume or requeue
	 * @param taskId the dead letter's task id, for requeue
	 * @return what was done
	 */
	@WriteOperation
	public TaskCommands.CommandResult queue(@Selector String queue, @Selector String action, @Nullable String taskId) {
		return this.commands.onQueue(queue, action, taskId);
	}

}
