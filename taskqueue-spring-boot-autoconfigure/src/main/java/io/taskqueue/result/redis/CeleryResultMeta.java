package io.taskqueue.result.redis;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.taskqueue.core.TaskState;
import io.taskqueue.protocol.CeleryTime;
import io.taskqueue.result.TaskError;
import io.taskqueue.result.TaskResult;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link TaskResult} as Celery's result backends store it: {@code status}, {@code result} (the
 * value, or the exception as {@code exc_type}/{@code exc_message}/{@code exc_module}),
 * {@code traceback}, {@code children}, naive-UTC {@code date_done}, {@code task_id}.
 */
final class CeleryResultMeta {

	private final JsonMapper mapper;

	CeleryResultMeta(JsonMapper mapper) {
		this.mapper = mapper;
	}

	String encode(TaskResult result) {
		Map<String, Object> meta = new LinkedHashMap<>();
		meta.put("status", result.status());
		meta.put("result", (result.error() != null) ? exception(result.error()) : result.result());
		meta.put("traceback", result.traceback());
		meta.put("children", List.of());
		meta.put("date_done", (result.dateDone() != null) ? CeleryTime.formatNaive(result.dateDone()) : null);
		if (result.parentId() != null) {
			meta.put("parent_id", result.parentId());
		}
		if (result.groupId() != null) {
			meta.put("group_id", result.groupId());
		}
		if (result.taskName() != null) {
			meta.put("name", result.taskName());
		}
		meta.put("task_id", result.taskId());
		return this.mapper.writeValueAsString(meta);
	}

	/** A chord member as Celery records it in {@code <gid>.j}: {@code [1, id, state, result]}. */
	String chordEntry(TaskResult member) {
		Object value = (member.error() != null) ? exception(member.error()) : member.result();
		return this.mapper.writeValueAsString(java.util.Arrays.asList(1, member.taskId(), member.status(), value));
	}

	TaskResult decodeChordEntry(String entry) {
		List<?> fields = this.mapper.readValue(entry, List.class);
		String id = String.valueOf(fields.get(1));
		String status = String.valueOf(fields.get(2));
		Object value = fields.get(3);
		Map<String, Object> exception = asMap(value);
		if (!status.equals("SUCCESS") && exception != null && exception.containsKey("exc_type")) {
			TaskError error = new TaskError(String.valueOf(exception.get("exc_type")),
					message(exception.get("exc_message")), string(exception.get("exc_module")));
			return new TaskResult(id, status, null, error, null, null, null, null, null);
		}
		return new TaskResult(id, status, value, null, null, null, null, null, null);
	}

	@Nullable TaskResult decode(String taskId, @Nullable String json) {
		if (json == null) {
			return null;
		}
		Map<String, Object> meta;
		try {
			meta = asMap(this.mapper.readValue(json, Object.class));
		}
		catch (JacksonException ex) {
			meta = null;
		}
		if (meta == null || !(meta.get("status") instanceof String status)) {
			TaskError error = new TaskError("UnreadableResult", "stored result is not Celery result JSON", null);
			return new TaskResult(taskId, TaskState.FAILURE.name(), null, error, null, null, null, null, null);
		}
		Object value = meta.get("result");
		TaskError error = null;
		boolean failed = status.equals("FAILURE") || status.equals("RETRY") || status.equals("REVOKED");
		Map<String, Object> exception = asMap(value);
		if (failed && exception != null && exception.containsKey("exc_type")) {
			error = new TaskError(String.valueOf(exception.get("exc_type")), message(exception.get("exc_message")),
					(exception.get("exc_module") != null) ? exception.get("exc_module").toString() : null);
			value = null;
		}
		return new TaskResult(taskId, status, value, error, string(meta.get("traceback")),
				dateDone(meta.get("date_done")), string(meta.get("name")), string(meta.get("parent_id")),
				string(meta.get("group_id")));
	}

	private static Map<String, Object> exception(TaskError error) {
		Map<String, Object> exception = new LinkedHashMap<>();
		exception.put("exc_type", error.type());
		exception.put("exc_message", error.messageArgs());
		exception.put("exc_module", error.module());
		return exception;
	}

	private static @Nullable String message(@Nullable Object value) {
		if (value instanceof List<?> args) {
			if (args.isEmpty()) {
				return null;
			}
			return (args.size() == 1) ? String.valueOf(args.get(0)) : args.toString();
		}
		return (value != null) ? value.toString() : null;
	}

	private static @Nullable Instant dateDone(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		try {
			return CeleryTime.parse(value.toString());
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Map<String, Object> asMap(@Nullable Object value) {
		return (value instanceof Map) ? (Map<String, Object>) value : null;
	}

	private static @Nullable String string(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

}
