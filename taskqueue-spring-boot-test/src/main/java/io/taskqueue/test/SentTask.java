package io.taskqueue.test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.taskqueue.protocol.TaskMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A task message as it was published, decoded, for assertions in tests: what was sent, with which
 * arguments and options, to which queue.
 *
 * <pre class="code">
 * assertThat(tester.sent("emails.send_welcome")).singleElement()
 *     .satisfies((task) -&gt; assertThat(task.arg(0, String.class)).isEqualTo("ada@example.com"));
 * </pre>
 */
public final class SentTask {

	private final String queue;

	private final TaskMessage message;

	private final Instant publishedAt;

	private final JsonMapper mapper;

	SentTask(String queue, TaskMessage message, Instant publishedAt, JsonMapper mapper) {
		this.queue = queue;
		this.message = message;
		this.publishedAt = publishedAt;
		this.mapper = mapper;
	}

	/**
	 * Return the task id.
	 * @return the id
	 */
	public String id() {
		return this.message.id();
	}

	/**
	 * Return the task name.
	 * @return the name
	 */
	public String name() {
		return this.message.task();
	}

	/**
	 * Return the queue it was published to.
	 * @return the queue
	 */
	public String queue() {
		return this.queue;
	}

	/**
	 * Return the positional arguments as they travel: JSON values (strings, numbers, booleans, lists
	 * and maps).
	 * @return the arguments
	 */
	public List<@Nullable Object> args() {
		return Collections.unmodifiableList(new ArrayList<>(this.message.args()));
	}

	/**
	 * Return one positional argument converted to a type, the way a worker would bind it.
	 * @param <T> the type
	 * @param index the position
	 * @param type the type
	 * @return the converted argument
	 */
	public <T> @Nullable T arg(int index, Class<T> type) {
		return this.mapper.convertValue(this.message.args().get(index), type);
	}

	/**
	 * Return the keyword arguments as they travel.
	 * @return the keyword arguments
	 */
	public Map<String, @Nullable Object> kwargs() {
		return Collections.unmodifiableMap(new LinkedHashMap<>(this.message.kwargs()));
	}

	/**
	 * Return the time before which it should not run (a countdown or eta), if any.
	 * @return the eta
	 */
	public @Nullable Instant eta() {
		return this.message.eta();
	}

	/**
	 * Return the time after which it is no longer run, if any.
	 * @return the expiry
	 */
	public @Nullable Instant expires() {
		return this.message.expires();
	}

	/**
	 * Return the priority, if one was set.
	 * @return the priority
	 */
	public @Nullable Integer priority() {
		return this.message.priority();
	}

	/**
	 * Return how many times it had been retried when this message was sent.
	 * @return the retry count, 0 for a first send
	 */
	public int retries() {
		return this.message.retries();
	}

	/**
	 * Return the headers beyond Celery's standard ones, for example those set with
	 * {@code TaskRequest.header}.
	 * @return the extra headers
	 */
	public Map<String, Object> headers() {
		return this.message.extraHeaders();
	}

	/**
	 * Return the whole decoded message, for what the accessors above do not cover (parent and root
	 * ids, group, time limits, workflow links).
	 * @return the message
	 */
	public TaskMessage message() {
		return this.message;
	}

	/**
	 * Return when it was published, on the taskqueue clock.
	 * @return the publication time
	 */
	public Instant publishedAt() {
		return this.publishedAt;
	}

	@Override
	public String toString() {
		return "SentTask[" + name() + " " + id() + " queue=" + this.queue + " args=" + args() + " kwargs=" + kwargs()
				+ ((eta() != null) ? " eta=" + eta() : "") + "]";
	}

}
