package io.taskqueue.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.observation.TaskEvent;
import io.taskqueue.observation.TaskEventPublisher;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.protocol.TaskMessage;
import io.taskqueue.protocol.WireMessage;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.TaskResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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

	private static final Log logger = LogFactory.getLog(TaskTemplate.class);

	private final TaskBroker broker;

	private final ResultBackend backend;

	private final CeleryMessageCodec codec;

	private final List<TaskRouter> routers;

	private final String defaultQueue;

	private final TaskEventPublisher events;

	private final Clock clock;

	private final String origin = NodeInfo.producerName();

	private final String replyTo = UUID.randomUUID().toString();

	private Duration revocationTimeToLive = Duration.ofDays(1);

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
		this.broker = broker;
		this.backend = backend;
		this.codec = codec;
		this.routers = List.copyOf(routers);
		this.defaultQueue = defaultQueue;
		this.events = events;
		this.clock = clock;
	}

	@Override
	public AsyncResult send(String taskName, Object... args) {
		return task(taskName).args(args).send();
	}

	@Override
	public TaskRequest task(String taskName) {
		return new TaskRequest(taskName, this::send);
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

	private AsyncResult send(TaskRequest request) {
		Instant now = this.clock.instant();
		String id = (request.taskId() != null) ? request.taskId() : UUID.randomUUID().toString();
		String queue = (request.queue() != null) ? request.queue() : route(request.taskName());
		Instant eta = request.etaAt(now);
		TaskMessage message = TaskMessage.builder(request.taskName(), id)
			.args(request.args())
			.kwargs(request.kwargs())
			.eta(eta)
			.expires(request.expiresAt(now))
			.priority(request.priority())
			.origin(this.origin)
			.replyTo(this.replyTo)
			.headers(request.headers())
			.build();
		WireMessage wire = this.codec.encode(message);
		try {
			this.broker.publish(new OutboundMessage(queue, wire, eta));
		}
		catch (RuntimeException ex) {
			throw new TaskPublishException("Could not publish task '" + request.taskName() + "' (" + id
					+ ") to queue '" + queue + "': " + ex.getMessage(), ex);
		}
		recordKnown(id, request.taskName());
		this.events.publish(new TaskEvent(TaskState.PENDING, id, request.taskName(), queue, now, null, null));
		return result(id);
	}

	private void recordKnown(String id, String taskName) {
		try {
			this.backend.store(TaskResult.pending(id, taskName));
		}
		catch (RuntimeException ex) {
			logger.warn("Task " + id + " was published but could not be recorded as known in the result backend: "
					+ ex.getMessage());
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

}
