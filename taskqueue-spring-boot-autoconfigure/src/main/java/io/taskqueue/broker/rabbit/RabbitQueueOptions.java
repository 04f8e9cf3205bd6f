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
 * @param queueVersion the {@code x-queue-version} of classic task queues (1 or 2), or {@code null} to
 * leave it to the broker (its default, or a policy's {@code queue-version})
 */
public record RabbitQueueOptions(String queueType, @Nullable Integer maxPriority, @Nullable Integer queueVersion) {

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
		if (queueVersion != null && queueVersion != 1 && queueVersion != 2) {
			throw new IllegalArgumentException("taskqueue.rabbit.queue-version must be 1 or 2, got " + queueVersion);
		}
		if (queueVersion != null && queueType.equals("quorum")) {
			throw new IllegalArgumentException(
					"taskqueue.rabbit.queue-version applies to classic queues only, not to queue-type 'quorum'");
		}
	}

	/**
	 * Options without a queue version: the broker's default (or policy) decides it.
	 * @param queueType {@code classic} or {@code quorum}
	 * @param maxPriority the {@code x-max-priority} of task queues, or {@code null} for none
	 */
	public RabbitQueueOptions(String queueType, @Nullable Integer maxPriority) {
		this(queueType, maxPriority, null);
	}

	Map<String, Object> arguments() {
		Map<String, Object> arguments = new HashMap<>();
		if (this.queueType.equals("quorum")) {
			arguments.put("x-queue-type", "quorum");
		}
		if (this.maxPriority != null) {
			arguments.put("x-max-priority", this.maxPriority);
		}
		if (this.queueVersion != null) {
			arguments.put("x-queue-version", this.queueVersion);
		}
		return arguments;
	}

}
