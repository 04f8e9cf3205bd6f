package io.taskqueue.observation;

import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * The two observations taskqueue makes: sending a task ({@value #SEND}) in the producer and
 * executing it ({@value #EXECUTION}) in the worker. With Micrometer Tracing the send injects the
 * trace context into the message headers (W3C {@code traceparent} by default) and the execution
 * continues that trace; with a meter registry each becomes a timer. Low-cardinality keys:
 * {@code task}, {@code queue} and, for executions, {@code outcome}.
 */
public final class TaskObservations {

	/** The name of the send observation (and timer). */
	public static final String SEND = "taskqueue.tasks.send";

	/** The name of the execution observation (and timer). */
	public static final String EXECUTION = "taskqueue.tasks.execution";

	private TaskObservations() {
	}

	/**
	 * Create a not-yet-started send observation whose propagated context is written into
	 * {@code headers}.
	 * @param registry the registry
	 * @param taskName the task name
	 * @param taskId the task id
	 * @param queue the destination queue
	 * @param headers where trace headers are written
	 * @return the observation
	 */
	public static Observation send(ObservationRegistry registry, String taskName, String taskId, String queue,
			Map<String, Object> headers) {
		return observation(registry, SEND, "send " + taskName, taskName, taskId, queue, () -> {
			SenderContext<Map<String, Object>> context = new SenderContext<>(Map::put);
			context.setCarrier(headers);
			context.setRemoteServiceName("taskqueue");
			return context;
		});
	}

	/**
	 * Create a not-yet-started execution observation that continues the trace found in
	 * {@code headers}; set the outcome with {@link #outcome} before stopping it.
	 * @param registry the registry
	 * @param taskName the task name
	 * @param taskId the task id
	 * @param queue the queue it was consumed from
	 * @param headers the message headers
	 * @return the observation
	 */
	public static Observation execution(ObservationRegistry registry, String taskName, String taskId, String queue,
			Map<String, Object> headers) {
		return observation(registry, EXECUTION, "execute " + taskName, taskName, taskId, queue, () -> {
			ReceiverContext<Map<String, Object>> context = new ReceiverContext<>(TaskObservations::header);
			context.setCarrier(headers);
			context.setRemoteServiceName("taskqueue");
			return context;
		});
	}

	/**
	 * One observation of a task; nothing is allocated when observations go nowhere, as by default.
	 */
	private static Observation observation(ObservationRegistry registry, String name, String contextualName,
			String taskName, String taskId, String queue, Supplier<Observation.Context> context) {
		if (registry.isNoop()) {
			return Observation.NOOP;
		}
		return Observation.createNotStarted(name, context, registry)
			.contextualName(contextualName)
			.lowCardinalityKeyValues(KeyValues.of("task", taskName, "queue", queue))
			.highCardinalityKeyValue("task.id", taskId);
	}

	/**
	 * Record how an execution ended.
	 * @param observation the execution observation
	 * @param outcome the final state's name, lower case ({@code success}, {@code failure},
	 * {@code retry}, {@code revoked}) or {@code abandoned} when its time limit freed the slot
	 */
	public static void outcome(Observation observation, String outcome) {
		observation.lowCardinalityKeyValue("outcome", outcome);
	}

	private static @Nullable String header(Map<String, Object> headers, String key) {
		Object value = headers.get(key);
		return (value != null) ? value.toString() : null;
	}

}
