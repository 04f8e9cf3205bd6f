package io.taskqueue.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * A task about to be sent, with its arguments and options; obtained from
 * {@link TaskOperations#task(String)} and finished with {@link #send()} or {@link #sendAsync()}.
 */
public final class TaskRequest {

	private final String taskName;

	private final Function<TaskRequest, AsyncResult> sender;

	private final Function<TaskRequest, CompletableFuture<AsyncResult>> asyncSender;

	private List<?> args = List.of();

	private final Map<String, Object> kwargs = new LinkedHashMap<>();

	private @Nullable Duration countdown;

	private @Nullable Instant eta;

	private @Nullable Duration expiresIn;

	private @Nullable Instant expiresAt;

	private @Nullable String queue;

	private @Nullable Integer priority;

	private @Nullable String taskId;

	private final Map<String, Object> headers = new LinkedHashMap<>();

	private @Nullable String uniqueKey;

	private Duration uniqueFor = DEFAULT_UNIQUE_FOR;

	/**
	 * How long a unique key is held at most when {@link #uniqueKey(String)} gives no time.
	 */
	public static final Duration DEFAULT_UNIQUE_FOR = Duration.ofHours(1);

	TaskRequest(String taskName, Function<TaskRequest, AsyncResult> sender,
			Function<TaskRequest, CompletableFuture<AsyncResult>> asyncSender) {
		Assert.hasText(taskName, "Task name must not be empty");
		this.taskName = taskName;
		this.sender = sender;
		this.asyncSender = asyncSender;
	}

	/**
	 * Set the positional arguments.
	 * @param args the arguments
	 * @return this request
	 */
	public TaskRequest args(@Nullable Object... args) {
		this.args = Arrays.asList(args);
		return this;
	}

	/**
	 * Set the positional arguments from a list.
	 * @param args the arguments
	 * @return this request
	 */
	public TaskRequest args(List<?> args) {
		this.args = args;
		return this;
	}

	/**
	 * Add keyword arguments, matched to the task's parameter names.
	 * @param kwargs the keyword arguments
	 * @return this request
	 */
	public TaskRequest kwargs(Map<String, ?> kwargs) {
		this.kwargs.putAll(kwargs);
		return this;
	}

	/**
	 * Add one keyword argument.
	 * @param name the parameter name
	 * @param value the value
	 * @return this request
	 */
	public TaskRequest kwarg(String name, @Nullable Object value) {
		this.kwargs.put(name, value);
		return this;
	}

	/**
	 * Run the task no earlier than this long after sending.
	 * @param countdown the delay, not negative
	 * @return this request
	 */
	public TaskRequest countdown(Duration countdown) {
		Assert.isTrue(!countdown.isNegative(), () -> "Countdown must not be negative: " + countdown);
		this.countdown = countdown;
		return this;
	}

	/**
	 * Run the task no earlier than this instant.
	 * @param eta the earliest execution time
	 * @return this request
	 */
	public TaskRequest eta(Instant eta) {
		this.eta = eta;
		return this;
	}

	/**
	 * Do not run the task if it has not started this long after sending; it becomes REVOKED.
	 * @param expires the time to live, positive
	 * @return this request
	 */
	public TaskRequest expires(Duration expires) {
		Assert.isTrue(!expires.isNegative() && !expires.isZero(), () -> "Expiry must be positive: " + expires);
		this.expiresIn = expires;
		this.expiresAt = null;
		return this;
	}

	/**
	 * Do not run the task if it has not started by this instant; it becomes REVOKED.
	 * @param expires the expiry time
	 * @return this request
	 */
	public TaskRequest expires(Instant expires) {
		this.expiresAt = expires;
		this.expiresIn = null;
		return this;
	}

	/**
	 * Send to this queue instead of the routed one.
	 * @param queue the queue name
	 * @return this request
	 */
	public TaskRequest queue(String queue) {
		Assert.hasText(queue, "Queue must not be empty");
		this.queue = queue;
		return this;
	}

	/**
	 * Set the message priority, 0 to 255. The order follows the broker, as in Celery: RabbitMQ (on
	 * queues declared with {@code taskqueue.rabbit.max-priority}) and the in-memory broker serve higher
	 * numbers first; Redis, in kombu's layout, serves lower numbers first (0-2, 3-5, 6-8, 9).
	 * @param priority the priority
	 * @return this request
	 */
	public TaskRequest priority(int priority) {
		Assert.isTrue(priority >= 0 && priority <= 255, () -> "Priority must be between 0 and 255: " + priority);
		this.priority = priority;
		return this;
	}

	/**
	 * Use this task id instead of a generated one.
	 * @param taskId the task id
	 * @return this request
	 */
	public TaskRequest taskId(String taskId) {
		Assert.hasText(taskId, "Task id must not be empty");
		this.taskId = taskId;
		return this;
	}

	/**
	 * Add a custom message header, visible to the task through its context.
	 * @param name the header name
	 * @param value the value, written as JSON
	 * @return this request
	 */
	public TaskRequest header(String name, Object value) {
		this.headers.put(name, value);
		return this;
	}

	/**
	 * Make this send unique for its task name and key, held at most {@link #DEFAULT_UNIQUE_FOR}.
	 * @param key the key, for example the e-mail address a welcome mail goes to
	 * @return this request
	 * @see #uniqueKey(String, Duration)
	 */
	public TaskRequest uniqueKey(String key) {
		return uniqueKey(key, DEFAULT_UNIQUE_FOR);
	}

	/**
	 * Make this send unique: while a task of the same name sent with the same key is queued or
	 * running (and at most for {@code holdFor}), {@link #send()} returns that task's result instead
	 * of queueing another. The claim is atomic across every producer sharing the claim store
	 * (Redis when Redis is in use).
	 * @param key the key, for example the e-mail address a welcome mail goes to
	 * @param holdFor the longest time the key is held, even if the task never finishes
	 * @return this request
	 */
	public TaskRequest uniqueKey(String key, Duration holdFor) {
		Assert.hasText(key, "Unique key must not be empty");
		Assert.isTrue(!holdFor.isNegative() && !holdFor.isZero(), "Unique duration must be positive");
		this.uniqueKey = key;
		this.uniqueFor = holdFor;
		return this;
	}

	/**
	 * Publish the task.
	 * @return a handle on the task's result
	 * @throws TaskPublishException if the broker did not take the message
	 */
	public AsyncResult send() {
		Assert.state(this.countdown == null || this.eta == null, "Set either countdown or eta, not both");
		return this.sender.apply(this);
	}

	/**
	 * Publish the task without waiting for the broker to take it. The message is built, encoded and
	 * handed over in the calling thread, as {@link #send()} does; the future completes once the
	 * broker has it, which is what {@code send()} waits for. So one thread can keep many sends in
	 * flight.
	 * <ul>
	 * <li>On RabbitMQ and Redis the message goes to a publishing thread of the broker's, together
	 * with others handed over meanwhile, and the future completes once the broker has it (on RabbitMQ,
	 * on its publisher confirm), so the caller does not wait for the broker, not even while it is
	 * down, short of the bound below. The in-memory broker publishes in the calling thread and
	 * returns a completed future.</li>
	 * <li>Inside a transaction the message is published after the commit, as with {@code send()},
	 * and the future completes then; if the transaction rolls back, it fails.</li>
	 * <li>A unique key held by another task completes the future at once with that task's result.</li>
	 * <li>When {@code taskqueue.producer.max-pending-sends} messages (10,000 by default) are already
	 * waiting for the broker to take them, the message waits for one to be taken (in the calling
	 * thread, or the committing one inside a transaction), and the future fails with a
	 * {@link TaskPublishException} if none is taken within
	 * {@code taskqueue.producer.pending-sends-wait} (10 seconds by default). Until the broker takes
	 * one after such a wait ran out, further sends fail at once; so does a send at the bound made
	 * from a callback of another send's future, whose thread may be the one the broker needs.</li>
	 * </ul>
	 * The future may complete on the broker's thread: chain work that blocks onto an executor of
	 * your own ({@code thenApplyAsync(fn, executor)}).
	 * @return completes with a handle on the task's result, or with a {@link TaskPublishException}
	 * if the broker did not take the message or its transaction rolled back
	 */
	public CompletableFuture<AsyncResult> sendAsync() {
		Assert.state(this.countdown == null || this.eta == null, "Set either countdown or eta, not both");
		return this.asyncSender.apply(this);
	}

	String taskName() {
		return this.taskName;
	}

	List<?> args() {
		return this.args;
	}

	Map<String, Object> kwargs() {
		return this.kwargs;
	}

	@Nullable Instant etaAt(Instant now) {
		return (this.countdown != null) ? now.plus(this.countdown) : this.eta;
	}

	@Nullable Instant expiresAt(Instant now) {
		return (this.expiresIn != null) ? now.plus(this.expiresIn) : this.expiresAt;
	}

	@Nullable String queue() {
		return this.queue;
	}

	@Nullable Integer priority() {
		return this.priority;
	}

	@Nullable String taskId() {
		return this.taskId;
	}

	Map<String, Object> headers() {
		return this.headers;
	}

	UniqueKeyResolver.@Nullable UniqueKey uniqueKey() {
		return (this.uniqueKey != null) ? new UniqueKeyResolver.UniqueKey(this.uniqueKey, this.uniqueFor) : null;
	}

}
