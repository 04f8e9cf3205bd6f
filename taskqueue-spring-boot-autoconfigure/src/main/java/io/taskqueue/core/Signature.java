package io.taskqueue.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.taskqueue.protocol.CeleryTime;
import org.jspecify.annotations.Nullable;

/**
 * A task invocation to send later or as part of a workflow (Celery's signature): the task name, its
 * partial arguments and its options. {@link Canvas} combines signatures into chains, groups and
 * chords, which are signatures too. Instances are immutable; every option method returns a copy.
 *
 * <pre class="code">
 * Signature add = Signature.of("math.add", 2, 2).queue("math").link(Signature.of("math.mul", 10));
 * </pre>
 */
public final class Signature {

	private final String task;

	private final List<?> args;

	private final Map<String, ?> kwargs;

	private final Map<String, Object> options;

	private final @Nullable String subtaskType;

	private final boolean immutable;

	private Signature(String task, List<?> args, Map<String, ?> kwargs, Map<String, Object> options,
			@Nullable String subtaskType, boolean immutable) {
		this.task = task;
		this.args = java.util.Collections.unmodifiableList(new ArrayList<>(args));
		this.kwargs = new LinkedHashMap<>(kwargs);
		this.options = new LinkedHashMap<>(options);
		this.subtaskType = subtaskType;
		this.immutable = immutable;
	}

	/**
	 * A signature of a task with positional arguments.
	 * @param task the task name
	 * @param args the positional arguments (the parent's result is prepended when used as a callback)
	 * @return the signature
	 */
	public static Signature of(String task, @Nullable Object... args) {
		return new Signature(task, Arrays.asList(args), Map.of(), Map.of(), null, false);
	}

	static Signature composite(String type, Map<String, ?> kwargs) {
		return new Signature("celery." + type, List.of(), kwargs, Map.of(), type, false);
	}

	/**
	 * Read a signature in Celery's dictionary form ({@code task}, {@code args}, {@code kwargs},
	 * {@code options}, {@code subtask_type}, {@code immutable}).
	 * @param wire the dictionary
	 * @return the signature
	 */
	@SuppressWarnings("unchecked")
	public static Signature fromWire(Map<String, ?> wire) {
		Object args = wire.get("args");
		Object kwargs = wire.get("kwargs");
		Object options = wire.get("options");
		Object type = wire.get("subtask_type");
		return new Signature(String.valueOf(wire.get("task")), (args instanceof List<?> list) ? list : List.of(),
				(kwargs instanceof Map<?, ?> map) ? (Map<String, ?>) map : Map.of(),
				(options instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of(),
				(type != null) ? type.toString() : null, Boolean.TRUE.equals(wire.get("immutable")));
	}

	/**
	 * Write the signature in Celery's dictionary form.
	 * @return the dictionary
	 */
	public Map<String, Object> toWire() {
		Map<String, Object> wire = new LinkedHashMap<>();
		wire.put("task", this.task);
		wire.put("args", this.args);
		wire.put("kwargs", this.kwargs);
		wire.put("options", this.options);
		wire.put("subtask_type", this.subtaskType);
		wire.put("immutable", this.immutable);
		return wire;
	}

	/** @return the task name ({@code celery.chain}, {@code celery.group}, {@code celery.chord} for composites) */
	public String task() {
		return this.task;
	}

	/** @return the positional arguments */
	public List<?> args() {
		return this.args;
	}

	/** @return the keyword arguments */
	public Map<String, ?> kwargs() {
		return this.kwargs;
	}

	/** @return the options in Celery's form ({@code task_id}, {@code queue}, {@code link}, ...) */
	public Map<String, Object> options() {
		return this.options;
	}

	/** @return {@code null} for a task, or {@code chain}, {@code group}, {@code chord} */
	public @Nullable String subtaskType() {
		return this.subtaskType;
	}

	/** @return whether the parent's result is not prepended to the arguments */
	public boolean isImmutable() {
		return this.immutable;
	}

	/** @return the pre-assigned task id, if any */
	public @Nullable String taskId() {
		Object id = this.options.get("task_id");
		return (id != null) ? id.toString() : null;
	}

	/**
	 * Add keyword arguments.
	 * @param kwargs the keyword arguments
	 * @return a copy with them
	 */
	public Signature kwargs(Map<String, ?> kwargs) {
		Map<String, Object> merged = new LinkedHashMap<>(this.kwargs);
		merged.putAll(kwargs);
		return new Signature(this.task, this.args, merged, this.options, this.subtaskType, this.immutable);
	}

	/**
	 * Do not prepend the parent's result when run as a callback or chain step (Celery's {@code si()}).
	 * @return an immutable copy
	 */
	public Signature immutable() {
		return new Signature(this.task, this.args, this.kwargs, this.options, this.subtaskType, true);
	}

	/**
	 * Send to this queue.
	 * @param queue the queue
	 * @return a copy with the option
	 */
	public Signature queue(String queue) {
		return option("queue", queue);
	}

	/**
	 * Set the priority.
	 * @param priority the priority
	 * @return a copy with the option
	 */
	public Signature priority(int priority) {
		return option("priority", priority);
	}

	/**
	 * Run no earlier than this long after it is sent.
	 * @param countdown the delay
	 * @return a copy with the option
	 */
	public Signature countdown(Duration countdown) {
		return option("countdown", countdown.toMillis() / 1000.0);
	}

	/**
	 * Run no earlier than this instant.
	 * @param eta the earliest execution time
	 * @return a copy with the option
	 */
	public Signature eta(Instant eta) {
		return option("eta", CeleryTime.format(eta));
	}

	/**
	 * Do not run if not started this long after it is sent.
	 * @param expires the time to live
	 * @return a copy with the option
	 */
	public Signature expires(Duration expires) {
		return option("expires", expires.toMillis() / 1000.0);
	}

	/**
	 * Use this task id.
	 * @param taskId the id
	 * @return a copy with the option
	 */
	public Signature taskId(String taskId) {
		return option("task_id", taskId);
	}

	/**
	 * Run a callback with this task's result when it succeeds (Celery's {@code link}).
	 * @param callback the callback
	 * @return a copy with the callback
	 */
	public Signature link(Signature callback) {
		return appendOption("link", callback);
	}

	/**
	 * Run an errback with this task's id when it fails (Celery's {@code link_error}).
	 * @param errback the errback
	 * @return a copy with the errback
	 */
	public Signature linkError(Signature errback) {
		return appendOption("link_error", errback);
	}

	/**
	 * Return a copy with a pre-assigned task id if it has none.
	 * @return the frozen signature
	 */
	public Signature freeze() {
		return (taskId() != null) ? this : taskId(UUID.randomUUID().toString());
	}

	Signature option(String name, @Nullable Object value) {
		Map<String, Object> options = new LinkedHashMap<>(this.options);
		if (value == null) {
			options.remove(name);
		}
		else {
			options.put(name, value);
		}
		return new Signature(this.task, this.args, this.kwargs, options, this.subtaskType, this.immutable);
	}

	Signature withArgs(List<?> args) {
		return new Signature(this.task, args, this.kwargs, this.options, this.subtaskType, this.immutable);
	}

	Signature withKwargs(Map<String, ?> kwargs) {
		return new Signature(this.task, this.args, kwargs, this.options, this.subtaskType, this.immutable);
	}

	private Signature appendOption(String name, Signature signature) {
		List<Object> list = new ArrayList<>();
		if (this.options.get(name) instanceof List<?> existing) {
			list.addAll(existing);
		}
		list.add(signature.toWire());
		return option(name, list);
	}

	@Override
	public String toString() {
		return (this.subtaskType != null) ? this.subtaskType + this.kwargs : this.task + this.args;
	}

}
