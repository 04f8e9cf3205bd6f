package io.taskqueue.observation.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.taskqueue.core.TaskState;
import io.taskqueue.observation.TaskEvent;
import io.taskqueue.observation.TaskEventListener;

/**
 * Counts what happens to tasks in this process, from its {@link TaskEvent}s: sent, started,
 * succeeded, failed, retried, revoked and redelivered tasks, and how long messages waited in their
 * queue. Tags are {@code task} and {@code queue} only, both bounded by the application's own task
 * and queue names. Execution and send times come from the observations (see
 * {@link io.taskqueue.observation.TaskObservations}).
 */
public class TaskMetrics implements TaskEventListener {

	/** The timer of how long messages waited between publication (or eta) and a worker. */
	public static final String QUEUE_WAIT = "taskqueue.tasks.queue.wait";

	/** The counter of messages a broker delivered again. */
	public static final String REDELIVERED = "taskqueue.tasks.redelivered";

	private static final Map<TaskState, String> COUNTERS = Map.of(TaskState.PENDING, "taskqueue.tasks.sent",
			TaskState.STARTED, "taskqueue.tasks.started", TaskState.SUCCESS, "taskqueue.tasks.succeeded",
			TaskState.FAILURE, "taskqueue.tasks.failed", TaskState.RETRY, "taskqueue.tasks.retried",
			TaskState.REVOKED, "taskqueue.tasks.revoked");

	private final MeterRegistry registry;

	/**
	 * Meters already registered, by name, task and queue: several events per task would otherwise
	 * each build a meter id and look it up in the registry.
	 */
	private final Map<MeterKey, Meter> meters = new ConcurrentHashMap<>();

	/**
	 * Create the metrics.
	 * @param registry where meters are registered
	 */
	public TaskMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onEvent(TaskEvent event) {
		String queue = (event.queue() != null) ? event.queue() : "unknown";
		String counter = COUNTERS.get(event.state());
		if (counter != null) {
			counter(counter, event.taskName(), queue).increment();
		}
		if (event.state() == TaskState.RECEIVED) {
			if (event.queueWait() != null) {
				((Timer) this.meters.computeIfAbsent(new MeterKey(QUEUE_WAIT, event.taskName(), queue),
						(key) -> Timer.builder(QUEUE_WAIT)
							.description("Time from publication (or eta) until a worker took the task")
							.tags(key.tags())
							.register(this.registry)))
					.record(event.queueWait());
			}
			if (event.redelivered()) {
				counter(REDELIVERED, event.taskName(), queue).increment();
			}
		}
	}

	private Counter counter(String name, String task, String queue) {
		return (Counter) this.meters.computeIfAbsent(new MeterKey(name, task, queue),
				(key) -> Counter.builder(name).tags(key.tags()).register(this.registry));
	}

	private record MeterKey(String name, String task, String queue) {

		Tags tags() {
			return Tags.of("task", this.task, "queue", this.queue);
		}

	}

}
