package io.taskqueue.broker.rabbit;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How task queues are declared on RabbitMQ. The defaults declare exactly what Celery declares (a
 * durable classic queue without arguments), so Python workers can declare the same queue.
 *
 * @param queueType {@code classic} or {@code quorum}
 * @param maxPriority the {@code x-max-priority} of task queues, or {@code null} for none
 */
public record RabbitQueueOptions(String queueType, @Nullable Integer maxPriority) {

	/** Celery's declaration: classic queues without priorities. */
	public static final RabbitQueueOptions CELERY_DEFAULTS = new RabbitQueueOptions("classic", null);

	/**
	 * Validate the options.
	 */
	public RabbitQueueOptions {
		if (!queueType.equals("classic") && !queueType.equals("quorum")) {
			throw new IllegalArgumentException("taskqueue.rabbit.queue-type must be 'classic' or 'quorum', got '"
					+ queueType + "'");
		}
		if (maxPriority != null && (maxPriority < 1 || maxPriority > 255)) {
			throw new IllegalArgumentException("taskqueue.rabbit.max-priority must be between 1 and 255");
		}
	}

	Map<String, Object> arguments() {
		Map<String, Object> arguments = new HashMap<>();
		if (this.queueType.equals("quorum")) {
			arguments.put("x-queue-type", "quorum");
		}
		if (this.maxPriority != null) {
			arguments.put("x-max-priority", this.maxPriority);
		}
		return arguments;
	}

}
