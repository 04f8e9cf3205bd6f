package io.taskqueue.core;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.observation.TaskEvent;
import io.taskqueue.observation.TaskEventPublisher;
import io.taskqueue.observation.TaskObservations;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.protocol.CeleryTime;
import io.taskqueue.protocol.TaskMessage;
import io.taskqueue.protocol.WireMessage;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.TaskResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The publishing half of {@link TaskTemplate}: routes a message, stamps it (origin, reply address,
 * publication time, trace context), encodes it and hands it to the broker when the
 * {@link PublishScheduler} says so, then records the task as known and announces it.
 */
final class MessagePublisher {

	private static final Log logger = LogFactory.getLog(TaskTemplate.class);

	private final TaskBroker broker;

	private final ResultBackend backend;

	private final CeleryMessageCodec codec;

	private final List<TaskRouter> routers;

	private final String defaultQueue;

	private final TaskEventPublisher events;

	private final Clock clock;

	private final String origin = NodeInfo.producerName();

	private final String replyTo;

	private volatile PublishScheduler publishScheduler = PublishScheduler.IMMEDIATE;

	private volatile ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private volatile PendingSends pendingSends = new PendingSends(TaskTemplate.DEFAULT_MAX_PENDING_SENDS,
			TaskTemplate.DEFAULT_PENDING_SENDS_WAIT);

	MessagePublisher(TaskBroker broker, ResultBackend backend, CeleryMessageCodec codec, List<TaskRouter> routers,
			String defaultQueue, TaskEventPublisher events, Clock clock) {
		this.broker = broker;
		this.backend = backend;
		this.codec = codec;
		this.routers = List.copyOf(routers);
		this.defaultQueue = defaultQueue;
		this.events = events;
		this.clock = clock;
		String replyAddress = backend.replyAddress();
		this.replyTo = (replyAddress != null) ? replyAddress : UUID.randomUUID().toString();
	}

	void setPublishScheduler(PublishScheduler publishScheduler) {
		this.publishScheduler = publishScheduler;
	}

	void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
	}

	void setPendingSends(PendingSends pendingSends) {
		this.pendingSends = pendingSends;
	}

	int pendingSends() {
		return this.pendingSends.pending();
	}

	/**
	 * Publish a message; {@code discarded} runs if it is never published (it could not be encoded,
	 * the broker refused it, or its transaction rolled back).
	 * @return the task id
	 */
	String publish(TaskMessage.Builder builder, @Nullable String queue, Runnable discarded) {
		return prepare(builder, queue, discarded, (message, target, wire) -> {
			this.publishScheduler.schedule(() -> publishNow(message, target, wire, discarded), discarded);
			return message.id();
		});
	}

	/**
	 * Publish a message without waiting for the broker; {@code discarded} runs if it is never
	 * published.
	 * @return completes with the task id once the broker has the message, or with a
	 * {@link TaskPublishException}
	 */
	CompletableFuture<String> publishAsync(TaskMessage.Builder builder, @Nullable String queue, Runnable discarded) {
		CompletableFuture<String> published = new CompletableFuture<>();
		return prepare(builder, queue, discarded, (message, target, wire) -> {
			Runnable rolledBack = () -> {
				discarded.run();
				published.completeExceptionally(new TaskPublishException("Task '" + message.task() + "' ("
						+ message.id() + ") was not published: the transaction it was sent in did not commit", null));
			};
			this.publishScheduler.schedule(() -> publishNowAsync(message, target, wire, discarded, published),
					rolledBack);
			return published;
		});
	}

	/**
	 * Route, stamp and encode a message within a send observation, then hand it to {@code handOff};
	 * {@code discarded} runs if it cannot be encoded.
	 */
	private <T> T prepare(TaskMessage.Builder builder, @Nullable String queue, Runnable discarded,
			HandOff<T> handOff) {
		String target = (queue != null) ? queue : route(builder.task());
		Map<String, Object> propagated = new LinkedHashMap<>();
		Observation observation = TaskObservations
			.send(this.observationRegistry, builder.task(), builder.id(), target, propagated)
			.start();
		try {
			TaskMessage message;
			WireMessage wire;
			try {
				message = builder.origin(this.origin)
					.replyTo(this.replyTo)
					.header(TaskMessage.SENT_AT_HEADER, CeleryTime.format(this.clock.instant()))
					.headers(propagated)
					.build();
				wire = this.codec.encode(message);
			}
			catch (RuntimeException ex) {
				discarded.run();
				throw ex;
			}
			return handOff.apply(message, target, wire);
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	private void publishNow(TaskMessage message, String target, WireMessage wire, Runnable discarded) {
		try {
			this.broker.publish(new OutboundMessage(target, wire, message.eta()));
		}
		catch (RuntimeException ex) {
			discarded.run();
			throw notPublished(message, target, ex);
		}
		announce(message, target);
	}

	private void publishNowAsync(TaskMessage message, String target, WireMessage wire, Runnable discarded,
			CompletableFuture<String> published) {
		CompletableFuture<Void> taken = this.pendingSends
			.handOver(() -> this.broker.publishAsync(new OutboundMessage(target, wire, message.eta())));
		taken.whenComplete((ignored, failure) -> this.pendingSends.complete(() -> {
			if (failure != null) {
				discarded.run();
				Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
				published.completeExceptionally(notPublished(message, target, cause));
				return;
			}
			announce(message, target);
			published.complete(message.id());
		}));
	}

	private static TaskPublishException notPublished(TaskMessage message, String target, Throwable cause) {
		return new TaskPublishException("Could not publish task '" + message.task() + "' (" + message.id()
				+ ") to queue '" + target + "': " + cause.getMessage(), cause);
	}

	/** Record a published task as known and tell listeners it is PENDING. */
	private void announce(TaskMessage message, String target) {
		record(TaskResult.pending(message.id(), message.task()).withLineage(null, null, this.replyTo));
		this.events.publish(new TaskEvent(TaskState.PENDING, message.id(), message.task(), target,
				this.clock.instant(), null, null));
	}

	/**
	 * Record a task that a worker will publish (a workflow step) as known; its reply goes to that
	 * worker, so the record carries no reply address.
	 */
	void recordKnown(String id, String taskName) {
		record(TaskResult.pending(id, taskName));
	}

	private void record(TaskResult pending) {
		try {
			this.backend.recordPending(pending);
		}
		catch (RuntimeException ex) {
			logger.warn("Task " + pending.taskId() + " was published but could not be recorded as known in the result"
					+ " backend: " + ex.getMessage());
		}
	}

	private String route(String taskName) {
		for (TaskRouter router : this.routers) {
			String queue = router.route(taskName);
			if (queue != null) {
				return queue;
			}
		}
		return this.defaultQueue;
	}

	@FunctionalInterface
	private interface HandOff<T> {

		T apply(TaskMessage message, String target, WireMessage wire);

	}

}
