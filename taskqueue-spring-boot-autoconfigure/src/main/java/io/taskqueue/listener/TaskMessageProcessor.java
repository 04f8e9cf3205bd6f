package io.taskqueue.listener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.observation.ObservationRegistry;
import io.taskqueue.broker.Delivery;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.core.TaskState;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.observation.TaskEvent;
import io.taskqueue.observation.TaskEventPublisher;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.protocol.CeleryTime;
import io.taskqueue.protocol.MessageDecodingException;
import io.taskqueue.protocol.TaskMessage;
import io.taskqueue.protocol.WireMessage;
import io.taskqueue.ratelimit.RateLimit;
import io.taskqueue.ratelimit.TaskRateLimiter;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.TaskError;
import io.taskqueue.result.TaskResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Handles one delivered message from start to settlement: decode, look up the task, honour
 * {@code expires} and {@code eta}, record STARTED, invoke, record the outcome, acknowledge.
 *
 * <p>Bad input never escapes as an exception: a malformed message is dead-lettered (and recorded as
 * FAILURE when its id is readable), an unknown task is recorded as FAILURE {@code NotRegistered}
 * and dead-lettered, arguments that do not fit fail the task. The message is acknowledged only after
 * the outcome is stored (acks-late), so a worker that dies mid-task leaves it to be redelivered.
 */
public class TaskMessageProcessor implements DisposableBean {

	/** Marks a message that was rescheduled to a rate-limit slot it already holds. */
	static final String RATE_SLOT_HEADER = "x-taskqueue-rate-slot";

	private static final Log logger = LogFactory.getLog(TaskMessageProcessor.class);

	private final CeleryMessageCodec codec;

	private final TaskListenerEndpointRegistry registry;

	private final TaskBroker broker;

	private final ResultBackend backend;

	private final TaskEventPublisher events;

	private final Clock clock;

	private final WorkerPolicy policy;

	private final TaskRateLimiter rateLimiter;

	private final ScheduledExecutorService watchdog;

	private final ScheduledExecutorService storeRetries;

	private final TaskRunner runner;

	private final WorkflowContinuation workflow;

	private ObservedExecution execution = new ObservedExecution(ObservationRegistry.NOOP);

	/**
	 * Create a processor.
	 * @param codec the message codec
	 * @param registry where task implementations are looked up
	 * @param broker the broker deliveries are settled with
	 * @param backend where states and results are stored
	 * @param events where task events go
	 * @param policy the worker-wide execution defaults
	 * @param rateLimiter where rate-limited tasks reserve their execution slots
	 * @param template sends workflow steps (callbacks, chain steps, chord callbacks)
	 * @param clock the clock for expiry, eta and timestamps
	 */
	public TaskMessageProcessor(CeleryMessageCodec codec, TaskListenerEndpointRegistry registry, TaskBroker broker,
			ResultBackend backend, TaskEventPublisher events, WorkerPolicy policy, TaskRateLimiter rateLimiter,
			TaskTemplate template, Clock clock) {
		this.codec = codec;
		this.registry = registry;
		this.broker = broker;
		this.backend = backend;
		this.events = events;
		this.policy = policy;
		this.rateLimiter = rateLimiter;
		this.clock = clock;
		this.watchdog = Executors.newSingleThreadScheduledExecutor(daemonThreads("taskqueue-limits-"));
		// Its own thread (started on first use), so that retries blocked by an unreachable backend
		// never delay a time limit.
		this.storeRetries = Executors.newSingleThreadScheduledExecutor(daemonThreads("taskqueue-store-retries-"));
		this.workflow = new WorkflowContinuation(template, backend, clock);
		this.runner = new TaskRunner(codec, broker, backend, events, policy, this.watchdog, this.storeRetries,
				this.workflow, clock);
		backend.addTerminationListener(this.runner::terminate);
	}

	/**
	 * Return the tasks this worker is running.
	 * @return the running tasks
	 */
	public java.util.List<ActiveTask> activeTasks() {
		return this.runner.activeTasks();
	}

	private static CustomizableThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

	@Override
	public void destroy() {
		this.watchdog.shutdownNow();
		this.storeRetries.shutdownNow();
	}

	/**
	 * Process a delivery and settle it.
	 * @param delivery the delivery
	 * @param releaseSlot frees the delivery's slot; called early when a task passes its hard time limit
	 * or is terminated, while it still runs
	 * @return completes once the delivery is settled: at once, except for a task whose outcome is
	 * still being stored; completes exceptionally when that outcome could not be stored, and the
	 * message is then not settled
	 */
	public CompletionStage<@Nullable Void> process(Delivery delivery, Runnable releaseSlot) {
		TaskMessage message;
		try {
			message = this.codec.decode(delivery.message());
		}
		catch (MessageDecodingException ex) {
			rejectMalformed(delivery, ex);
			return TaskRunner.Outcome.NOW;
		}
		TaskListenerEndpoint endpoint = this.registry.getEndpoint(message.task());
		if (endpoint == null) {
			rejectUnregistered(delivery, message);
			return TaskRunner.Outcome.NOW;
		}
		if (this.policy.maxDeliveries() > 0 && delivery.deliveryCount() > this.policy.maxDeliveries()) {
			rejectOverDelivered(delivery, message);
			return TaskRunner.Outcome.NOW;
		}
		Instant now = this.clock.instant();
		if (message.expires() != null && !now.isBefore(message.expires())) {
			TaskResult expired = TaskResult.revoked(message.id(), message.task(), "expired", now);
			store(message, expired);
			emit(TaskState.REVOKED, message, delivery, null, null);
			this.workflow.ended(message, expired);
			this.broker.ack(delivery);
			return TaskRunner.Outcome.NOW;
		}
		if (message.eta() != null && message.eta().isAfter(now)) {
			this.broker.publish(new OutboundMessage(delivery.queue(), delivery.message(), message.eta()));
			this.broker.ack(delivery);
			return TaskRunner.Outcome.NOW;
		}
		if (this.backend.isRevoked(message.id())) {
			logger.info("Task " + message.task() + "[" + message.id() + "] is revoked; not running it");
			TaskResult revoked = TaskResult.revoked(message.id(), message.task(), "revoked", now);
			store(message, revoked);
			emit(TaskState.REVOKED, message, delivery, null, null);
			this.workflow.ended(message, revoked);
			this.broker.ack(delivery);
			return TaskRunner.Outcome.NOW;
		}
		TaskResult stored = delivery.redelivered() ? this.backend.get(message.id()) : null;
		if (stored != null && stored.state() == TaskState.SUCCESS) {
			logger.info("Task " + message.task() + "[" + message.id() + "] was redelivered but already succeeded;"
					+ " acknowledging the duplicate without running it");
			this.workflow.chordMember(message, stored);
			this.broker.ack(delivery);
			return TaskRunner.Outcome.NOW;
		}
		if (stored != null && stored.state() == TaskState.STARTED && !endpoint.options().rejectOnWorkerLost()) {
			TaskError error = new TaskError("WorkerLostError",
					"The worker running the task was lost; not run again (rejectOnWorkerLost = false)",
					"celery.exceptions");
			TaskResult lost = TaskResult.failure(message.id(), message.task(), error, null, now);
			store(message, lost);
			emit(TaskState.FAILURE, message, delivery, null, error);
			this.workflow.ended(message, lost);
			this.broker.ack(delivery);
			return TaskRunner.Outcome.NOW;
		}
		RateLimit limit = endpoint.options().rateLimit();
		if (limit != null && !delivery.message().headers().containsKey(RATE_SLOT_HEADER)) {
			Duration wait = this.rateLimiter.reserve(message.task(), limit);
			if (!wait.isZero()) {
				postpone(delivery, now.plus(wait));
				return TaskRunner.Outcome.NOW;
			}
		}
		return this.execution.run(delivery, message, () -> this.runner.run(delivery, message, endpoint, releaseSlot))
			.settled();
	}

	/**
	 * Set where execution observations go (metrics, traces); by default nowhere.
	 * @param observationRegistry the registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.execution = new ObservedExecution(observationRegistry);
	}

	/**
	 * Reschedule a rate-limited message to the slot it reserved, so the worker's slot goes to other
	 * tasks meanwhile.
	 */
	private void postpone(Delivery delivery, Instant slot) {
		Map<String, Object> headers = new LinkedHashMap<>(delivery.message().headers());
		headers.put(RATE_SLOT_HEADER, true);
		headers.put("eta", CeleryTime.format(slot));
		WireMessage postponed = new WireMessage(headers, delivery.message().properties(), delivery.message().body());
		this.broker.publish(new OutboundMessage(delivery.queue(), postponed, slot));
		this.broker.ack(delivery);
	}

	private void rejectOverDelivered(Delivery delivery, TaskMessage message) {
		String reason = "Delivered " + delivery.deliveryCount() + " times without being settled (more than"
				+ " taskqueue.worker.max-deliveries=" + this.policy.maxDeliveries() + "): it may keep killing workers";
		logger.error("Task " + message.task() + "[" + message.id() + "]: " + reason + "; dead-lettered");
		TaskError error = new TaskError("DeliveryLimitExceeded", reason, "io.taskqueue.listener");
		TaskResult failure = TaskResult.failure(message.id(), message.task(), error, null, this.clock.instant());
		store(message, failure);
		emit(TaskState.FAILURE, message, delivery, null, error);
		this.workflow.ended(message, failure);
		this.broker.deadLetter(delivery, reason);
	}

	private void rejectMalformed(Delivery delivery, MessageDecodingException ex) {
		String taskId = ex.getTaskId();
		String taskName = (delivery.message().taskName() != null) ? delivery.message().taskName() : "unknown";
		logger.error("Rejected malformed message from queue '" + delivery.queue() + "'"
				+ ((taskId != null) ? " (task " + taskId + ")" : "") + ": " + ex.getMessage());
		if (taskId != null) {
			TaskError error = new TaskError("MessageDecodingError", ex.getMessage(), "io.taskqueue.protocol");
			storeQuietly(TaskResult.failure(taskId, taskName, error, null, this.clock.instant()));
		}
		this.broker.deadLetter(delivery, ex.getMessage());
	}

	private void rejectUnregistered(Delivery delivery, TaskMessage message) {
		String reason = "Received unregistered task '" + message.task() + "': no @TaskListener has this name (known: "
				+ this.registry.getTaskNames() + ")";
		logger.error(reason + " [" + message.id() + "]");
		TaskError error = new TaskError("NotRegistered", message.task(), "celery.exceptions");
		store(message, TaskResult.failure(message.id(), message.task(), error, null, this.clock.instant()));
		emit(TaskState.FAILURE, message, delivery, null, error);
		this.broker.deadLetter(delivery, reason);
	}

	private void store(TaskMessage message, TaskResult result) {
		this.backend.store(result.withLineage(message.parentId(), message.groupId(), message.replyTo()));
	}

	private void storeQuietly(TaskResult result) {
		try {
			this.backend.store(result);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record the failure of task " + result.taskId() + ": " + ex.getMessage());
		}
	}

	private void emit(TaskState state, TaskMessage message, Delivery delivery, @Nullable Duration runtime,
			@Nullable TaskError error) {
		this.events.publish(new TaskEvent(state, message.id(), message.task(), delivery.queue(), this.clock.instant(),
				runtime, error));
	}

}
