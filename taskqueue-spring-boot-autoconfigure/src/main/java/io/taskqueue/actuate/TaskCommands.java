package io.taskqueue.actuate;

import java.util.Locale;

import io.taskqueue.broker.TaskBroker;
import io.taskqueue.core.TaskOperations;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.listener.TaskQueueContainer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

/**
 * The write operations of the {@code tasks} endpoint: revoke a task, pause or resume this worker's
 * consumer of a queue, and move a dead letter back to its queue. Each is logged at INFO.
 */
class TaskCommands {

	private static final Log logger = LogFactory.getLog(TaskCommands.class);

	private final TaskOperations tasks;

	private final TaskBroker broker;

	private final @Nullable TaskListenerEndpointRegistry registry;

	TaskCommands(TaskOperations tasks, TaskBroker broker, @Nullable TaskListenerEndpointRegistry registry) {
		this.tasks = tasks;
		this.broker = broker;
		this.registry = registry;
	}

	CommandResult revoke(String taskId, boolean terminate) {
		this.tasks.result(taskId).revoke(terminate);
		logger.info("Task " + taskId + " revoked through the tasks endpoint" + (terminate ? " (terminate)" : ""));
		return new CommandResult(terminate ? "revoke-terminate" : "revoke", taskId, true,
				"Workers skip the task if it has not started" + (terminate ? " and interrupt it if it has" : ""));
	}

	CommandResult onQueue(String queue, String action, @Nullable String taskId) {
		return switch (action.toLowerCase(Locale.ROOT)) {
			case "pause" -> pause(queue, true);
			case "resume" -> pause(queue, false);
			case "requeue" -> requeue(queue, taskId);
			default -> throw new InvalidEndpointRequestException("Unknown action '" + action
					+ "'; use pause, resume or requeue", "unknown action");
		};
	}

	private CommandResult pause(String queue, boolean pause) {
		TaskQueueContainer container = (this.registry != null) ? this.registry.getContainer(queue) : null;
		String action = pause ? "pause" : "resume";
		if (container == null) {
			return new CommandResult(action, queue, false, "This process has no consumer of queue '" + queue + "'");
		}
		if (pause) {
			container.pause();
		}
		else {
			container.resume();
		}
		logger.info("Consumer of queue '" + queue + "' " + action + "d through the tasks endpoint");
		return new CommandResult(action, queue, true, pause
				? "This process takes no new messages from the queue; running tasks finish"
				: "This process takes messages from the queue again");
	}

	private CommandResult requeue(String queue, @Nullable String taskId) {
		if (taskId == null || taskId.isBlank()) {
			throw new InvalidEndpointRequestException("requeue needs the dead letter's taskId in the request body",
					"missing taskId");
		}
		boolean moved = this.broker.requeueDeadLetter(queue, taskId);
		if (moved) {
			logger.info("Dead letter of task " + taskId + " moved back to queue '" + queue + "' through the tasks"
					+ " endpoint");
		}
		return new CommandResult("requeue", taskId, moved,
				moved ? "Moved back to queue '" + queue + "'" : "No dead letter of that task on queue '" + queue + "'");
	}

	/**
	 * The outcome of a write operation.
	 *
	 * @param action what was asked
	 * @param target the task id or queue it applied to
	 * @param done whether it took effect
	 * @param detail what happened
	 */
	record CommandResult(String action, String target, boolean done, String detail) {

	}

}
