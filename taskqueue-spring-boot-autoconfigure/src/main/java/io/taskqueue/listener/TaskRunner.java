package io.taskqueue.listener;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

import io.taskqueue.broker.BrokerException;
import io.taskqueue.broker.Delivery;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.core.NodeInfo;
import io.taskqueue.core.SoftTimeLimitExceeded;
import io.taskqueue.core.TaskPublishException;
import io.taskqueue.core.TaskRetryException;
import io.taskqueue.core.TaskState;
import io.taskqueue.listener.adapter.TaskMethodInvoker;
import io.taskqueue.observation.TaskEvent;
import io.taskqueue.observation.TaskEventPublisher;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.protocol.TaskMessage;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.TaskError;
import io.taskqueue.result.TaskResult;
import io.taskqueue.retry.RetryCountdown;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * Runs one task and records its outcome: STARTED (when tracked), the invocation under its time
 * limits, then SUCCESS, a retry (re-published with a countdown, never a sleep), or FAILURE. The
 * message is acknowledged before the invocation (acks-early) or after the outcome is stored
 * (acks-late); a retry is published before the original message is acknowledged.
 */
final class TaskRunner {

	private static final Log logger = LogFactory.getLog(TaskRunner.class);

	private static final int MAX_TRACEBACK = 16 * 1024;

	private final CeleryMessageCodec codec;

	private final TaskBroker broker;

	private final ResultBackend backend;

	private final TaskEventPublisher events;

	private final WorkerPolicy policy;

	private final ScheduledExecutorService watchdog;

	private final Clock clock;

	private final Map<String, TaskMethodInvoker> invokers = new ConcurrentHashMap<>();

	private final Map<String, Runnable> terminators = new ConcurrentHashMap<>();

	private final Map<String, ActiveTask> active = new ConcurrentHashMap<>();

	private final WorkflowContinuation workflow;

	private final OutcomeStore outcomes;

	/** Whether a stored SUCCESS can be read by any worker, so that a redelivery finds it. */
	private final boolean resultsKept;

	TaskRunner(CeleryMessageCodec codec, TaskBroker broker, ResultBackend backend, TaskEventPublisher events,
			WorkerPolicy policy, ScheduledExecutorService watchdog, ScheduledExecutorService storeRetries,
			WorkflowContinuation workflow, Clock clock) {
		this.workflow = workflow;
		this.codec = codec;
		this.broker = broker;
		this.backend = backend;
		this.events = events;
		this.policy = policy;
		this.watchdog = watchdog;
		this.clock = clock;
		this.resultsKept = backend.isShared();
		this.outcomes = new OutcomeStore(backend, OutcomeStore.DEFAULT_RETRY_FOR, storeRetries);
	}

	/**
	 * Run a task to its outcome.
	 * @return the state it ended in and when its message is settled
	 */
	Outcome run(Delivery delivery, TaskMessage message, TaskListenerEndpoint endpoint,
			Runnable releaseSlot) {
		TaskOptions options = endpoint.options();
		boolean acksLate = options.acksLate() && this.policy.acksLate();
		this.events.publish(new TaskEvent(TaskState.RECEIVED, message.id(), message.task(), delivery.queue(),
				this.clock.instant(), null, null, queueWait(message), delivery.redelivered()));
		if (options.trackStarted()) {
			TaskResult started = TaskResult.started(message.id(), message.task(), Map.of("pid", NodeInfo.pid(),
					"hostname", NodeInfo.workerName(), "date_started", this.clock.instant().toString()));
			this.backend.recordStarted(withLineage(message, started));
		}
		emit(TaskState.STARTED, message, delivery, null, null);
		if (!acksLate) {
			this.broker.ack(delivery);
		}
		DefaultTaskContext context = new DefaultTaskContext(message, delivery,
				(state, meta) -> store(message, new TaskResult(message.id(), state, meta, null, null, null,
						message.task(), null, null)));
		RunningTask running = new RunningTask(Thread.currentThread());
		Duration soft = (options.softTimeLimit() != null) ? options.softTimeLimit() : this.policy.softTimeLimit();
		Duration hard = (options.timeLimit() != null) ? options.timeLimit() : this.policy.timeLimit();
		running.watch(this.watchdog, soft, hard, context::softTimeLimitExceeded,
				() -> timedOut(delivery, message, hard, acksLate, releaseSlot));
		this.terminators.put(message.id(),
				() -> running.abandon(() -> terminated(delivery, message, acksLate, releaseSlot)));
		this.active.put(message.id(), new ActiveTask(message.id(), message.task(), message.args(), message.kwargs(),
				delivery.queue(), delivery.redelivered(), this.clock.instant()));
		long start = System.nanoTime();
		Object value;
		try {
			value = invoker(endpoint).invoke(message.args(), message.kwargs(), context);
		}
		catch (Throwable ex) {
			this.terminators.remove(message.id());
			this.active.remove(message.id());
			if (running.finish()) {
				return Outcome.settled(failed(delivery, message, options, ex, context.isSoftTimeLimitExceeded(),
						elapsed(start), acksLate));
			}
			return Outcome.abandoned();
		}
		this.terminators.remove(message.id());
		this.active.remove(message.id());
		if (!running.finish()) {
			logger.warn("Task " + message.task() + "[" + message.id() + "] returned after its time limit; its result"
					+ " is discarded");
			return Outcome.abandoned();
		}
		continueWorkflow(message, () -> this.workflow.succeeded(message, value));
		if (acksLate && this.resultsKept && !options.ignoreResult() && !this.workflow.joinsChord(message)) {
			return succeededAsync(delivery, message, value, start);
		}
		if (!options.ignoreResult() && !storeSuccess(message, value)) {
			return Outcome.settled(unwritable(delivery, message, value, start, acksLate));
		}
		emit(TaskState.SUCCESS, message, delivery, elapsed(start), null);
		continueWorkflow(message, () -> this.workflow.chordMember(message,
				TaskResult.success(message.id(), message.task(), value, this.clock.instant())));
		settleSucceeded(delivery, acksLate, this.resultsKept && !options.ignoreResult());
		return Outcome.settled(TaskState.SUCCESS);
	}

	/**
	 * Store a SUCCESS without waiting for the write, and announce it and acknowledge the message once
	 * it is stored: the common case, where nothing else depends on the stored result. The message's
	 * slot stays taken until then, so the worker holds no more unsettled messages than it has slots.
	 * A store that fails gives the message back and the task runs again, so its SUCCESS is announced
	 * only once.
	 */
	private Outcome succeededAsync(Delivery delivery, TaskMessage message, @Nullable Object value, long start) {
		TaskResult success = TaskResult.success(message.id(), message.task(), value, this.clock.instant());
		CompletableFuture<@Nullable Void> stored;
		try {
			stored = this.outcomes.storeAsync(withLineage(message, success));
		}
		catch (JacksonException | IllegalArgumentException ex) {
			logUnwritable(message, ex);
			return Outcome.settled(unwritable(delivery, message, value, start, true));
		}
		Duration runtime = elapsed(start);
		return new Outcome(TaskState.SUCCESS, stored.thenRun(() -> {
			emit(TaskState.SUCCESS, message, delivery, runtime, null);
			this.broker.ackLater(delivery);
		}));
	}

	private TaskState unwritable(Delivery delivery, TaskMessage message, @Nullable Object value, long start,
			boolean acksLate) {
		TaskError error = new TaskError("EncodeError", "The result of task " + message.task()
				+ " cannot be written as JSON: " + describe(value), "kombu.exceptions");
		TaskResult failure = TaskResult.failure(message.id(), message.task(), error, null, this.clock.instant());
		storeOutcome(message, failure);
		emit(TaskState.FAILURE, message, delivery, elapsed(start), error);
		continueWorkflow(message, () -> this.workflow.ended(message, failure));
		settle(delivery, acksLate);
		return TaskState.FAILURE;
	}

	/**
	 * How long the message waited for a worker: from its publication, or its eta if later.
	 */
	private @Nullable Duration queueWait(TaskMessage message) {
		Instant since = TaskMessage.sentAt(message.extraHeaders());
		if (since == null) {
			return null;
		}
		if (message.eta() != null && message.eta().isAfter(since)) {
			since = message.eta();
		}
		Duration wait = Duration.between(since, this.clock.instant());
		return wait.isNegative() ? Duration.ZERO : wait;
	}

	private boolean storeSuccess(TaskMessage message, @Nullable Object value) {
		try {
			storeOutcome(message, TaskResult.success(message.id(), message.task(), value, this.clock.instant()));
			return true;
		}
		catch (JacksonException | IllegalArgumentException ex) {
			logUnwritable(message, ex);
			return false;
		}
	}

	private static void logUnwritable(TaskMessage message, RuntimeException ex) {
		logger.error("Task " + message.task() + "[" + message.id() + "] succeeded but its result cannot be"
				+ " written as JSON; recorded as FAILURE (EncodeError)", ex);
	}

	private static String describe(@Nullable Object value) {
		return (value != null) ? value.getClass().getName() : "null";
	}

	private TaskState failed(Delivery delivery, TaskMessage message, TaskOptions options, Throwable ex,
			boolean softLimitPassed, Duration runtime, boolean acksLate) {
		boolean requested = ex instanceof TaskRetryException;
		Throwable cause = (requested && ex.getCause() != null) ? ex.getCause() : ex;
		if (softLimitPassed && !(cause instanceof SoftTimeLimitExceeded)) {
			cause = new SoftTimeLimitExceeded("Task exceeded its soft time limit (" + cause + ")");
		}
		if ((requested || options.retriesAutomatically(cause))
				&& RetryCountdown.allowed(message.retries(), options.maxRetries())) {
			Duration countdown = requested ? ((TaskRetryException) ex).getCountdown() : null;
			if (countdown == null) {
				countdown = RetryCountdown.of(message.retries(), options.defaultRetryDelay(),
						options.retryBackoff() && !requested, options.retryBackoffMax(), options.retryJitter());
			}
			retry(delivery, message, cause, countdown, runtime, acksLate);
			return TaskState.RETRY;
		}
		TaskError error = TaskError.of(cause);
		logger.warn("Task " + message.task() + "[" + message.id() + "] failed: " + error);
		String trace = traceback(cause);
		TaskResult failure = TaskResult.failure(message.id(), message.task(), error, trace, this.clock.instant());
		storeOutcome(message, failure);
		emit(TaskState.FAILURE, message, delivery, runtime, error);
		continueWorkflow(message, () -> this.workflow.ended(message, failure));
		settle(delivery, acksLate);
		return TaskState.FAILURE;
	}

	private void retry(Delivery delivery, TaskMessage message, Throwable cause, Duration countdown, Duration runtime,
			boolean acksLate) {
		Instant eta = this.clock.instant().plus(countdown);
		TaskMessage again = message.toBuilder()
			.withoutHeader(TaskMessageProcessor.RATE_SLOT_HEADER)
			.retries(message.retries() + 1)
			.parentId(message.id())
			.eta(eta)
			.origin(NodeInfo.workerName())
			.build();
		TaskError error = TaskError.of(cause);
		storeOutcome(message, new TaskResult(message.id(), TaskState.RETRY.name(), null, error, traceback(cause), null,
				message.task(), null, null));
		this.broker.publish(new OutboundMessage(delivery.queue(), this.codec.encode(again), eta));
		logger.info("Task " + message.task() + "[" + message.id() + "] retry " + again.retries() + " in " + countdown
				+ ": " + error);
		emit(TaskState.RETRY, message, delivery, runtime, error);
		settle(delivery, acksLate);
	}

	private void timedOut(Delivery delivery, TaskMessage message, @Nullable Duration limit, boolean acksLate,
			Runnable releaseSlot) {
		TaskError error = new TaskError("TimeLimitExceeded", "Task exceeded its time limit of " + limit,
				"celery.exceptions");
		logger.warn("Task " + message.task() + "[" + message.id() + "] exceeded its time limit of " + limit
				+ "; its thread is interrupted and its slot freed");
		try {
			TaskResult failure = TaskResult.failure(message.id(), message.task(), error, null, this.clock.instant());
			store(message, failure);
			emit(TaskState.FAILURE, message, delivery, limit, error);
			continueWorkflow(message, () -> this.workflow.ended(message, failure));
			settle(delivery, acksLate);
		}
		finally {
			releaseSlot.run();
		}
	}

	List<ActiveTask> activeTasks() {
		return List.copyOf(this.active.values());
	}

	/**
	 * Interrupt the task if it is running here, recording it REVOKED; called when it is revoked with
	 * terminate.
	 * @param taskId the task id
	 */
	void terminate(String taskId) {
		Runnable terminator = this.terminators.get(taskId);
		if (terminator != null) {
			terminator.run();
		}
	}

	private void terminated(Delivery delivery, TaskMessage message, boolean acksLate, Runnable releaseSlot) {
		logger.info("Task " + message.task() + "[" + message.id() + "] was revoked with terminate; interrupting it");
		try {
			TaskResult revoked = TaskResult.revoked(message.id(), message.task(), "terminated", this.clock.instant());
			store(message, revoked);
			emit(TaskState.REVOKED, message, delivery, null, null);
			continueWorkflow(message, () -> this.workflow.ended(message, revoked));
			settle(delivery, acksLate);
		}
		finally {
			releaseSlot.run();
		}
	}

	/**
	 * Run a workflow step. A step that cannot be published propagates (the message is redelivered and
	 * the task runs again, at least once); any other error is a defect of the workflow (a signature
	 * this worker cannot read) and is logged instead of failing the finished task over and over.
	 */
	private void continueWorkflow(TaskMessage message, Runnable step) {
		try {
			step.run();
		}
		catch (TaskPublishException | BrokerException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			logger.error("Task " + message.task() + "[" + message.id() + "] finished, but its workflow could not"
					+ " continue: " + ex.getMessage(), ex);
		}
	}

	private void settle(Delivery delivery, boolean acksLate) {
		if (acksLate) {
			this.broker.ack(delivery);
		}
	}

	/**
	 * Settle a succeeded task. When its SUCCESS is stored, without waiting for the broker: if the
	 * acknowledgement is lost, the redelivered message finds that SUCCESS and is not run again. Any
	 * other outcome waits for its acknowledgement, since a redelivery would run the task again.
	 */
	private void settleSucceeded(Delivery delivery, boolean acksLate, boolean stored) {
		if (acksLate && stored) {
			this.broker.ackLater(delivery);
		}
		else {
			settle(delivery, acksLate);
		}
	}

	private TaskMethodInvoker invoker(TaskListenerEndpoint endpoint) {
		return this.invokers.computeIfAbsent(endpoint.name(),
				(name) -> new TaskMethodInvoker(endpoint, this.codec.mapper()));
	}

	private void store(TaskMessage message, TaskResult result) {
		this.backend.store(withLineage(message, result));
	}

	/**
	 * Store the outcome of a task that ran in this thread, retrying a backend out of reach (see
	 * {@link OutcomeStore}); outcomes recorded by the watchdog (time limits, terminations) are not
	 * retried, so that one unreachable backend does not hold up every other task's time limits.
	 */
	private void storeOutcome(TaskMessage message, TaskResult result) {
		this.outcomes.store(withLineage(message, result));
	}

	private static TaskResult withLineage(TaskMessage message, TaskResult result) {
		return result.withLineage(message.parentId(), message.groupId(), message.replyTo());
	}

	private void emit(TaskState state, TaskMessage message, Delivery delivery, @Nullable Duration runtime,
			@Nullable TaskError error) {
		this.events.publish(new TaskEvent(state, message.id(), message.task(), delivery.queue(), this.clock.instant(),
				runtime, error));
	}

	private static Duration elapsed(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

	static String traceback(Throwable ex) {
		StringWriter writer = new StringWriter();
		ex.printStackTrace(new PrintWriter(writer));
		String trace = writer.toString();
		return (trace.length() > MAX_TRACEBACK) ? trace.substring(0, MAX_TRACEBACK) + "\n\t... (truncated)" : trace;
	}

	/**
	 * What became of a task run.
	 *
	 * @param state the state it ended in, or {@code null} when its hard time limit or a termination
	 * abandoned it (the watchdog records that outcome)
	 * @param settled completes once its message is settled: at once, except for an outcome still
	 * being stored; completes exceptionally if the outcome could not be stored; never for an
	 * abandoned task
	 */
	record Outcome(@Nullable TaskState state, CompletionStage<@Nullable Void> settled) {

		static final CompletionStage<@Nullable Void> NOW = CompletableFuture.completedStage(null);

		/**
		 * The outcome of a task that its hard time limit or a termination abandoned. Its stage never
		 * completes: whoever abandoned the task records its outcome, settles its message and frees its
		 * slot, so a task that returns while that is under way does not free the slot early.
		 */
		static Outcome abandoned() {
			return new Outcome(null, new CompletableFuture<>());
		}

		static Outcome settled(@Nullable TaskState state) {
			return new Outcome(state, NOW);
		}

	}

}
