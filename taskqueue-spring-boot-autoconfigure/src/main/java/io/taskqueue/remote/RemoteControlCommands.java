package io.taskqueue.remote;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.taskqueue.core.NodeInfo;
import io.taskqueue.listener.ActiveTask;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.listener.TaskMessageProcessor;
import io.taskqueue.result.ResultBackend;
import org.jspecify.annotations.Nullable;

/**
 * Answers Celery's remote-control requests for this worker, whatever the transport: {@code ping},
 * {@code registered} and {@code active} (what {@code celery inspect} asks), and applies
 * {@code revoke} broadcasts so that revocations sent from Python are honoured.
 */
public final class RemoteControlCommands {

	private final TaskListenerEndpointRegistry registry;

	private final TaskMessageProcessor processor;

	private final ResultBackend backend;

	private final String nodeName = NodeInfo.workerName();

	/**
	 * Create the command handler.
	 * @param registry the worker's tasks
	 * @param processor the worker's running tasks
	 * @param backend where revocations are stored
	 */
	public RemoteControlCommands(TaskListenerEndpointRegistry registry, TaskMessageProcessor processor,
			ResultBackend backend) {
		this.registry = registry;
		this.processor = processor;
		this.backend = backend;
	}

	/** @return this worker's node name, as {@code celery inspect} lists it */
	public String nodeName() {
		return this.nodeName;
	}

	/**
	 * Handle a request.
	 * @param request the request body ({@code method}, {@code arguments}, {@code destination}, ...)
	 * @return the reply body ({@code {"<node>": result}}), or {@code null} when no reply is due
	 */
	public @Nullable Map<String, Object> handle(Map<String, Object> request) {
		if (request.get("destination") instanceof List<?> destination && !destination.contains(this.nodeName)) {
			return null;
		}
		Object method = request.get("method");
		Map<?, ?> arguments = (request.get("arguments") instanceof Map<?, ?> map) ? map : Map.of();
		Object result = switch (String.valueOf(method)) {
			case "ping" -> Map.of("ok", "pong");
			case "registered" -> List.copyOf(this.registry.getTaskNames());
			case "active" -> this.processor.activeTasks().stream().map(this::describe).toList();
			case "revoke" -> revoke(arguments);
			default -> Map.of("error", "No such command: " + method);
		};
		boolean wantsReply = request.get("reply_to") != null;
		return wantsReply ? Map.of(this.nodeName, result) : null;
	}

	private Object revoke(Map<?, ?> arguments) {
		Object ids = arguments.get("task_id");
		List<?> taskIds = (ids instanceof List<?> list) ? list : List.of(String.valueOf(ids));
		boolean terminate = Boolean.TRUE.equals(arguments.get("terminate"));
		taskIds.forEach((id) -> this.backend.revoke(String.valueOf(id), terminate, Duration.ofDays(1)));
		return Map.of("ok", "tasks " + taskIds + " flagged as revoked");
	}

	private Map<String, Object> describe(ActiveTask task) {
		Map<String, Object> active = new LinkedHashMap<>();
		active.put("id", task.id());
		active.put("name", task.name());
		active.put("args", task.args());
		active.put("kwargs", task.kwargs());
		active.put("type", task.name());
		active.put("hostname", this.nodeName);
		active.put("time_start", task.started().toEpochMilli() / 1000.0);
		active.put("acknowledged", false);
		active.put("delivery_info", Map.of("exchange", "", "routing_key", task.queue(), "priority", 0,
				"redelivered", task.redelivered()));
		active.put("worker_pid", NodeInfo.pid());
		return active;
	}

}
