package io.taskqueue.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.micrometer.observation.ObservationRegistry;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.observation.TaskEventPublisher;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.protocol.TaskMessage;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.unique.InMemoryUniqueTaskLocks;
import io.taskqueue.unique.UniqueTaskLocks;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The producer: turns task requests into Celery v2 messages, routes them to a queue and publishes
 * them, recording each task as known in the result backend. Inject it wherever work should be
 * handed off to a worker.
 *
 * <pre class="code">
 * AsyncResult result = tasks.send("emails.send_welcome", "a@b.c", "Alice");
 * </pre>
 */
public class TaskTemplate implements TaskOperations {

	/** The most messages sent with {@code sendAsync} that the broker has not taken yet, by default. */
	public static final int DEFAULT_MAX_PENDING_SENDS = 10_000;

	/** How long {@code sendAsync} waits for room when that many are pending, by default. */
	public static final Duration DEFAULT_PENDING_SENDS_WAIT = Duration.ofSeconds(10);

	private final ResultBackend backend;

	private final CeleryMessageCodec codec;

	private final Clock clock;

	private final MessagePublisher publisher;

	private Duration revocationTimeToLive = Duration.ofDays(1);

	private @Nullable KnownQueues knownQueues;

	private UniqueClaims uniqueClaims;

	private UniqueKeyResolver uniqueKeyResolver = (taskName, args, kwargs) -> null;

	private final CanvasSender canvas = new CanvasSender(this);

	/**
	 * Create a template.
	 * @param broker the broker to publish to
	 * @param backend the result backend results are read from
	 * @param codec the message codec
	 * @param routers routers consulted in order when a request names no queue
	 * @param defaultQueue the queue used when no router answers
	 * @param events where task-sent events go
	 * @param clock the clock countdowns and expiries are computed with
	 */
	public TaskTemplate(TaskBroker broker, ResultBackend backend, CeleryMessageCodec codec, List<TaskRouter> routers,
			String defaultQueue, TaskEventPublisher events, Clock clock) {
		this.backend = backend;
		this.codec = codec;
		this.clock = clock;
		this.publisher = new MessagePublisher(broker, backend, codec, routers, defaultQueue, events, clock);
		this.uniqueClaims = new UniqueClaims(new InMemoryUniqueTaskLocks(clock), backend);
	}

	@Override
	public AsyncResult send(String taskName, Object... args) {
		return task(taskName).args(args).send();
	}

	@Override
	public TaskRequest task(String taskName) {
		return new TaskRequest(taskName, this::send, this::sendAsync);
	}

	@Override
	public AsyncResult result(String taskId) {
		return new AsyncResult(taskId, this.backend, this.codec.mapper(), this.revocationTimeToLive);
	}

	/**
	 * Set how long revocations are remembered; by default one day, like results.
	 * @param revocationTimeToLive the time to live of revocations
	 */
	public void setRevocationTimeToLive(Duration revocationTimeToLive) {
		this.revocationTimeToLive = revocationTimeToLive;
	}

	/**
	 * Set the check of queues that sends name explicitly; by default there is none.
	 * @param knownQueues the check
	 */
	public void setKnownQueues(KnownQueues knownQueues) {
		this.knownQueues = knownQueues;
	}

	/**
	 * Set where send observations go, for metrics and for carrying the trace context to the worker;
	 * by default nowhere.
	 * @param observationRegistry the registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.publisher.setObservationRegistry(observationRegistry);
	}

	/**
	 * Bound the messages sent with {@link TaskRequest#sendAsync()} that the broker has not taken
	 * yet, so that a broker slower than its producers (RabbitMQ blocking publishers on a memory
	 * alarm, for example) cannot make them pile up in memory. At the bound, {@code sendAsync} waits
	 * in the calling thread for the broker to take one, and fails its future with a
	 * {@link TaskPublishException} if none is taken within {@code wait} (see
	 * {@link TaskRequest#sendAsync()} for when it fails without waiting). By default
	 * {@value #DEFAULT_MAX_PENDING_SENDS} and 10 seconds.
	 * @param max the most pending messages
	 * @param wait how long a send waits for room ({@link Duration#ZERO}: it fails at once)
	 */
	public void setPendingSendsLimit(int max, Duration wait) {
		this.publisher.setPendingSends(new PendingSends(max, wait));
	}

	/**
	 * Return how many messages sent with {@link TaskRequest#sendAsync()} the broker has not taken
	 * yet (the {@code taskqueue.producer.pending.sends} gauge).
	 * @return the pending messages, at most the bound set with {@link #setPendingSendsLimit}
	 */
	public int pendingSends() {
		return this.publisher.pendingSends();
	}

	/**
	 * Set when sends reach the broker; by default at once. The returned {@link AsyncResult} is
	 * usable immediately either way.
	 * @param publishScheduler the scheduler, for example one that waits for the surrounding
	 * transaction to commit
	 */
	public void setPublishScheduler(PublishScheduler publishScheduler) {
		this.publisher.setPublishScheduler(publishScheduler);
	}

	/**
	 * Set where unique-task keys are claimed; by default in this JVM only.
	 * @param locks the claim store, shared by every producer that must see the same claims
	 */
	public void setUniqueTaskLocks(UniqueTaskLocks locks) {
		this.uniqueClaims = new UniqueClaims(locks, this.backend);
	}

	/**
	 * Set how sends that set no unique key find one, for example from their listener's
	 * {@code unique} attribute; by default they are not unique.
	 * @param uniqueKeyResolver the resolver
	 */
	public void setUniqueKeyResolver(UniqueKeyResolver uniqueKeyResolver) {
		this.uniqueKeyResolver = uniqueKeyResolver;
	}

	@Override
	public AsyncResult send(Signature signature) {
		return this.canvas.send(signature, Lineage.ROOT);
	}

	/**
	 * Send a signature as a step of a running workflow (callbacks, chain steps, chord callbacks).
	 * @param signature the signature
	 * @param lineage where it is sent from
	 * @return a handle on its final result
	 */
	public AsyncResult send(Signature signature, Lineage lineage) {
		return this.canvas.send(signature, lineage);
	}

	private AsyncResult send(TaskRequest request) {
		return send(request, (message, queue, discarded) -> result(this.publisher.publish(message, queue, discarded)),
				this::result);
	}

	private CompletableFuture<AsyncResult> sendAsync(TaskRequest request) {
		return send(request,
				(message, queue, discarded) -> this.publisher.publishAsync(message, queue, discarded)
					.thenApply(this::result),
				(holder) -> CompletableFuture.completedFuture(result(holder)));
	}

	/**
	 * Build a request's message and publish it, unless a unique key finds a task already holding it.
	 * @param publication publishes the message
	 * @param existing the answer for the task holding the unique key
	 */
	private <T> T send(TaskRequest request, Publication<T> publication, Function<String, T> existing) {
		Instant now = this.clock.instant();
		String id = (request.taskId() != null) ? request.taskId() : UUID.randomUUID().toString();
		TaskMessage.Builder message = TaskMessage.builder(request.taskName(), id)
			.args(request.args())
			.kwargs(request.kwargs())
			.eta(request.etaAt(now))
			.expires(request.expiresAt(now))
			.priority(request.priority())
			.headers(request.headers());
		UniqueKeyResolver.UniqueKey unique = request.uniqueKey();
		if (unique == null) {
			unique = this.uniqueKeyResolver.resolve(request.taskName(), request.args(), request.kwargs());
		}
		if (request.queue() != null && this.knownQueues != null) {
			this.knownQueues.check(request.queue(), request.taskName());
		}
		if (unique == null) {
			return publication.publish(message, request.queue(), () -> {
			});
		}
		String key = request.taskName() + ":" + unique.key();
		String holder = this.uniqueClaims.claim(key, id, unique.holdFor());
		if (holder != null) {
			return existing.apply(holder);
		}
		return publication.publish(message, request.queue(), () -> this.uniqueClaims.release(key, id));
	}

	/**
	 * Publish a message, routing it when no queue is given, and record the task as known.
	 * @param builder the message, without origin and reply address
	 * @param queue the queue, or {@code null} to route by task name
	 * @return a handle on the task's result
	 * @throws TaskPublishException if the broker did not take a message published at once
	 */
	AsyncResult publish(TaskMessage.Builder builder, @Nullable String queue) {
		return result(this.publisher.publish(builder, queue, () -> {
		}));
	}

	void startChord(String groupId, int size) {
		this.backend.startChord(groupId, size);
	}

	ResultBackend backend() {
		return this.backend;
	}

	JsonMapper mapper() {
		return this.codec.mapper();
	}

	void recordKnown(String id, String taskName) {
		this.publisher.recordKnown(id, taskName);
	}

	@FunctionalInterface
	private interface Publication<T> {

		T publish(TaskMessage.Builder message, @Nullable String queue, Runnable discarded);

	}

}
