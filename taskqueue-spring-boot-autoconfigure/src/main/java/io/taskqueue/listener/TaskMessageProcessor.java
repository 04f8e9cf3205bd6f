package io.taskqueue.listener;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.taskqueue.broker.Delivery;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.core.NodeInfo;
import io.taskqueue.core.TaskState;
import io.taskqueue.listener.adapter.TaskMethodInvoker;
import io.taskqueue.observation.TaskEvent;
import io.taskqueue.observation.TaskEventPublisher;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.protocol.MessageDecodingException;
import io.taskqueue.protocol.TaskMessage;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.TaskError;
import io.taskqueue.result.TaskResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Handles one delivered message from start to settlement: decode, look up the task, honour
 * {@code expires} and {@code eta}, record STARTED, invoke, record the outcome, acknowledge.
 *
 * <p>Bad input never escapes as an exception: a malformed message is dead-lettered (and recorded as
 * FAILURE when its id is readable), an unknown task is recorded as FAILURE {@code NotRegistered}
 * and dead-lettered, arguments that do not fit fail the task. The message is acknowledged only after
 * the outcome is stored (acks-late), so a worker that dies mid-task leaves it to be redelivered.
 */
public class TaskMessageProcessor {

	private static final Log logger = LogFactory.getLog(TaskMessageProcessor.class);

	private static final int MAX_TRACEBACK = 16 * 1024;

	private final CeleryMessageCodec codec;

	private final TaskListenerEndpointRegistry registry;

	private final TaskBroker broker;

	private final ResultBackend backend;

	private final TaskEventPublisher events;

	private final Clock clock;

	private final Map<String, TaskMethodInvoker> invokers = new ConcurrentHashMap<>();

	private final Map<String, Object> startedMeta = Map.of("pid", NodeInfo.pid(), "hostname", NodeInfo.workerName());

	/**
	 * Create a processor.
	 * @param codec the message codec
	 * @param registry where task implementations are looked up
	 * @param broker the broker deliveries are settled with
	 * @param backend where states and results are stored
	 * @param events where task events go
	 * @param clock the clock for expiry, eta and timestamps
	 */
	public TaskMessageProcessor(CeleryMessageCodec codec, TaskListenerEndpointRegistry registry, TaskBroker broker,
			ResultBackend backend, TaskEventPublisher events, Clock clock) {
		this.codec = codec;
		this.registry = registry;
		this.broker = broker;
		this.backend = backend;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * Process a delivery and settle it.
	 * @param delivery the delivery
	 */
	public void process(Delivery delivery) {
		TaskMessage message;
		try {
			message = this.codec.decode(delivery.message());
		}
		catch (MessageDecodingException ex) {
			rejectMalformed(delivery, ex);
			return;
		}
		TaskListenerEndpoint endpoint = this.registry.getEndpoint(message.task());
		if (endpoint == null) {
			rejectUnregistered(delivery, message);
			return;
		}
		Instant now = this.clock.instant();
		if (message.expires() != null && !now.isBefore(message.expires())) {
			store(message, TaskResult.revoked(message.id(), message.task(), "expired", now));
			emit(TaskState.REVOKED, message, delivery, null, null);
			this.broker.ack(delivery);
			return;
		}
		if (message.eta() != null && message.eta().isAfter(now)) {
			this.broker.publish(new OutboundMessage(delivery.queue(), delivery.message(), message.eta()));
			this.broker.ack(delivery);
			return;
		}
		if (delivery.redelivered() && alreadySucceeded(message)) {
			logger.info("Task " + message.task() + "[" + message.id() + "] was redelivered but already succeeded;"
					+ " acknowledging the duplicate without running it");
			this.broker.ack(delivery);
			return;
		}
		execute(delivery, message, endpoint);
	}

	private boolean alreadySucceeded(TaskMessage message) {
		TaskResult stored = this.backend.get(message.id());
		return stored != null && stored.state() == TaskState.SUCCESS;
	}

	private void execute(Delivery delivery, TaskMessage message, TaskListenerEndpoint endpoint) {
		emit(TaskState.RECEIVED, message, delivery, null, null);
		store(message, TaskResult.started(message.id(), message.task(), this.startedMeta));
		emit(TaskState.STARTED, message, delivery, null, null);
		long start = System.nanoTime();
		Object value;
		try {
			value = invoker(endpoint).invoke(message.args(), message.kwargs(), new DefaultTaskContext(message, delivery));
		}
		catch (Exception ex) {
			Duration runtime = Duration.ofNanos(System.nanoTime() - start);
			fail(delivery, message, ex, runtime);
			return;
		}
		Duration runtime = Duration.ofNanos(System.nanoTime() - start);
		if (!message.ignoreResult()) {
			store(message, TaskResult.success(message.id(), message.task(), value, this.clock.instant()));
		}
		emit(TaskState.SUCCESS, message, delivery, runtime, null);
		this.broker.ack(delivery);
	}

	private void fail(Delivery delivery, TaskMessage message, Exception ex, Duration runtime) {
		TaskError error = TaskError.of(ex);
		logger.warn("Task " + message.task() + "[" + message.id() + "] failed: " + error);
		store(message, TaskResult.failure(message.id(), message.task(), error, traceback(ex), this.clock.instant()));
		emit(TaskState.FAILURE, message, delivery, runtime, error);
		this.broker.ack(delivery);
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

	private TaskMethodInvoker invoker(TaskListenerEndpoint endpoint) {
		return this.invokers.computeIfAbsent(endpoint.name(), (name) -> new TaskMethodInvoker(endpoint,
				this.codec.mapper()));
	}

	private void store(TaskMessage message, TaskResult result) {
		this.backend.store(result.withLineage(message.parentId(), message.groupId()));
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

	private static String traceback(Throwable ex) {
		StringWriter writer = new StringWriter();
		ex.printStackTrace(new PrintWriter(writer));
		String trace = writer.toString();
		return (trace.length() > MAX_TRACEBACK) ? trace.substring(0, MAX_TRACEBACK) + "\n\t... (truncated)" : trace;
	}

}
