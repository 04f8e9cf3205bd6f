package io.taskqueue.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A decoded Celery v2 task message: what to run ({@link #task()}, {@link #args()},
 * {@link #kwargs()}), its identity in a workflow and its execution options.
 *
 * <p>Argument values are plain JSON values (maps, lists, strings, numbers, booleans, {@code null})
 * after decoding, or application objects before encoding. Instances are immutable; use
 * {@link #toBuilder()} to derive a new message (a retry, the next chain step).
 */
public final class TaskMessage {

	/**
	 * The header in which taskqueue producers record when a message was published (ISO-8601), for
	 * queue-wait metrics and the oldest message's age; Celery ignores it.
	 */
	public static final String SENT_AT_HEADER = "taskqueue_sent_at";

	/**
	 * Read when a message was published, from its {@link #SENT_AT_HEADER}.
	 * @param headers the message headers
	 * @return the publication time, {@code null} if the header is missing or unreadable (a Celery
	 * producer's message)
	 */
	public static @Nullable Instant sentAt(Map<String, Object> headers) {
		if (!(headers.get(SENT_AT_HEADER) instanceof String text)) {
			return null;
		}
		try {
			return CeleryTime.parse(text);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}


	private final String id;

	private final String task;

	private final String rootId;

	private final @Nullable String parentId;

	private final @Nullable String groupId;

	private final @Nullable Integer groupIndex;

	private final int retries;

	private final @Nullable Instant eta;

	private final @Nullable Instant expires;

	private final @Nullable Double hardTimeLimit;

	private final @Nullable Double softTimeLimit;

	private final @Nullable String shadow;

	private final @Nullable String origin;

	private final boolean ignoreResult;

	private final @Nullable Integer priority;

	private final @Nullable String replyTo;

	private final Map<String, Object> extraHeaders;

	private final List<?> args;

	private final Map<String, ?> kwargs;

	private final Embed embed;

	private TaskMessage(Builder builder) {
		this.id = builder.id;
		this.task = builder.task;
		this.rootId = (builder.rootId != null) ? builder.rootId : builder.id;
		this.parentId = builder.parentId;
		this.groupId = builder.groupId;
		this.groupIndex = builder.groupIndex;
		this.retries = builder.retries;
		this.eta = builder.eta;
		this.expires = builder.expires;
		this.hardTimeLimit = builder.hardTimeLimit;
		this.softTimeLimit = builder.softTimeLimit;
		this.shadow = builder.shadow;
		this.origin = builder.origin;
		this.ignoreResult = builder.ignoreResult;
		this.priority = builder.priority;
		this.replyTo = builder.replyTo;
		this.extraHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(builder.extraHeaders));
		this.args = Collections.unmodifiableList(new ArrayList<>(builder.args));
		this.kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(builder.kwargs));
		this.embed = builder.embed;
	}

	/**
	 * Start a message for the given task name and id.
	 * @param task the task name
	 * @param id the task id
	 * @return a builder
	 */
	public static Builder builder(String task, String id) {
		return new Builder(task, id);
	}

	/**
	 * Return a builder initialised with this message's values.
	 * @return a builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder(this.task, this.id);
		builder.rootId = this.rootId;
		builder.parentId = this.parentId;
		builder.groupId = this.groupId;
		builder.groupIndex = this.groupIndex;
		builder.retries = this.retries;
		builder.eta = this.eta;
		builder.expires = this.expires;
		builder.hardTimeLimit = this.hardTimeLimit;
		builder.softTimeLimit = this.softTimeLimit;
		builder.shadow = this.shadow;
		builder.origin = this.origin;
		builder.ignoreResult = this.ignoreResult;
		builder.priority = this.priority;
		builder.replyTo = this.replyTo;
		builder.extraHeaders.putAll(this.extraHeaders);
		builder.args = this.args;
		builder.kwargs = this.kwargs;
		builder.embed = this.embed;
		return builder;
	}

	/** @return the task id, also the key of its result */
	public String id() {
		return this.id;
	}

	/** @return the registered name of the task to run */
	public String task() {
		return this.task;
	}

	/** @return the id of the first task of the workflow; equals {@link #id()} for a standalone task */
	public String rootId() {
		return this.rootId;
	}

	/** @return the id of the task that published this one, or {@code null} for a top-level send */
	public @Nullable String parentId() {
		return this.parentId;
	}

	/** @return the id of the group or chord this task belongs to, or {@code null} */
	public @Nullable String groupId() {
		return this.groupId;
	}

	/** @return the position of this task in its group, or {@code null} */
	public @Nullable Integer groupIndex() {
		return this.groupIndex;
	}

	/** @return how many times this task has been retried already */
	public int retries() {
		return this.retries;
	}

	/** @return the earliest execution time, or {@code null} to run at once */
	public @Nullable Instant eta() {
		return this.eta;
	}

	/** @return the time after which the task must not run, or {@code null} */
	public @Nullable Instant expires() {
		return this.expires;
	}

	/** @return the hard time limit in seconds, or {@code null} */
	public @Nullable Double hardTimeLimit() {
		return this.hardTimeLimit;
	}

	/** @return the soft time limit in seconds, or {@code null} */
	public @Nullable Double softTimeLimit() {
		return this.softTimeLimit;
	}

	/** @return an alternative name used only in logs and events, or {@code null} */
	public @Nullable String shadow() {
		return this.shadow;
	}

	/** @return the node name of the producer, or {@code null} */
	public @Nullable String origin() {
		return this.origin;
	}

	/** @return whether the worker must not store the task's result */
	public boolean ignoreResult() {
		return this.ignoreResult;
	}

	/** @return the message priority, or {@code null} for the broker's default */
	public @Nullable Integer priority() {
		return this.priority;
	}

	/** @return the producer's reply address, or {@code null} */
	public @Nullable String replyTo() {
		return this.replyTo;
	}

	/** @return headers that are not part of the Celery v2 set (custom and unknown ones) */
	public Map<String, Object> extraHeaders() {
		return this.extraHeaders;
	}

	/** @return the positional arguments */
	public List<?> args() {
		return this.args;
	}

	/** @return the keyword arguments */
	public Map<String, ?> kwargs() {
		return this.kwargs;
	}

	/** @return the workflow signatures carried with the task */
	public Embed embed() {
		return this.embed;
	}

	@Override
	public String toString() {
		return "TaskMessage[" + this.task + " " + this.id + "]";
	}

	/**
	 * Builder for {@link TaskMessage}.
	 */
	public static final class Builder {

		private final String task;

		private final String id;

		private @Nullable String rootId;

		private @Nullable String parentId;

		private @Nullable String groupId;

		private @Nullable Integer groupIndex;

		private int retries;

		private @Nullable Instant eta;

		private @Nullable Instant expires;

		private @Nullable Double hardTimeLimit;

		private @Nullable Double softTimeLimit;

		private @Nullable String shadow;

		private @Nullable String origin;

		private boolean ignoreResult;

		private @Nullable Integer priority;

		private @Nullable String replyTo;

		private final Map<String, Object> extraHeaders = new LinkedHashMap<>();

		private List<?> args = List.of();

		private Map<String, ?> kwargs = Map.of();

		private Embed embed = Embed.NONE;

		private Builder(String task, String id) {
			this.task = task;
			this.id = id;
		}

		/** Set the id of the first task of the workflow (defaults to the task id). */
		public Builder rootId(@Nullable String rootId) {
			this.rootId = rootId;
			return this;
		}

		/** Set the id of the task that published this one. */
		public Builder parentId(@Nullable String parentId) {
			this.parentId = parentId;
			return this;
		}

		/** Set the group this task belongs to and its position in it. */
		public Builder group(@Nullable String groupId, @Nullable Integer groupIndex) {
			this.groupId = groupId;
			this.groupIndex = groupIndex;
			return this;
		}

		/** Set how many times the task has been retried already. */
		public Builder retries(int retries) {
			this.retries = retries;
			return this;
		}

		/** Set the earliest execution time. */
		public Builder eta(@Nullable Instant eta) {
			this.eta = eta;
			return this;
		}

		/** Set the time after which the task must not run. */
		public Builder expires(@Nullable Instant expires) {
			this.expires = expires;
			return this;
		}

		/** Set the hard and soft time limits in seconds. */
		public Builder timeLimits(@Nullable Double hard, @Nullable Double soft) {
			this.hardTimeLimit = hard;
			this.softTimeLimit = soft;
			return this;
		}

		/** Set the alternative name used in logs and events. */
		public Builder shadow(@Nullable String shadow) {
			this.shadow = shadow;
			return this;
		}

		/** Set the producer's node name. */
		public Builder origin(@Nullable String origin) {
			this.origin = origin;
			return this;
		}

		/** Set whether the worker must not store the result. */
		public Builder ignoreResult(boolean ignoreResult) {
			this.ignoreResult = ignoreResult;
			return this;
		}

		/** Set the message priority. */
		public Builder priority(@Nullable Integer priority) {
			this.priority = priority;
			return this;
		}

		/** Set the producer's reply address. */
		public Builder replyTo(@Nullable String replyTo) {
			this.replyTo = replyTo;
			return this;
		}

		/** @return the task name */
		public String task() {
			return this.task;
		}

		/** @return the task id */
		public String id() {
			return this.id;
		}

		/** Add a custom header. */
		public Builder header(String name, Object value) {
			this.extraHeaders.put(name, value);
			return this;
		}

		/** Remove a custom header. */
		public Builder withoutHeader(String name) {
			this.extraHeaders.remove(name);
			return this;
		}

		/** Add custom headers. */
		public Builder headers(Map<String, ?> headers) {
			this.extraHeaders.putAll(headers);
			return this;
		}

		/** Set the positional arguments. */
		public Builder args(List<?> args) {
			this.args = args;
			return this;
		}

		/** Set the keyword arguments. */
		public Builder kwargs(Map<String, ?> kwargs) {
			this.kwargs = kwargs;
			return this;
		}

		/** Set the workflow signatures carried with the task. */
		public Builder embed(Embed embed) {
			this.embed = embed;
			return this;
		}

		/** Build the immutable message. */
		public TaskMessage build() {
			return new TaskMessage(this);
		}

	}

}
