package io.taskqueue.protocol;

import org.jspecify.annotations.Nullable;

/**
 * The message properties Celery sets on a task message (AMQP basic properties).
 *
 * @param contentType the content type; only {@code application/json} is accepted
 * @param contentEncoding the content encoding, {@code utf-8}
 * @param correlationId the correlation id, the task id for task messages
 * @param replyTo the producer's reply address (unused by the Redis result backend)
 * @param priority the message priority, or {@code null} for the default
 * @param deliveryMode {@code 2} for persistent messages, {@code 1} for transient ones
 */
public record WireProperties(@Nullable String contentType, @Nullable String contentEncoding,
		@Nullable String correlationId, @Nullable String replyTo, @Nullable Integer priority, int deliveryMode) {

	/** The only content type taskqueue produces and accepts. */
	public static final String JSON = "application/json";

	/** The content encoding of every JSON body. */
	public static final String UTF_8 = "utf-8";

	/**
	 * Properties of a persistent JSON task message.
	 * @param taskId the task id, used as correlation id
	 * @param replyTo the reply address
	 * @param priority the priority, or {@code null}
	 * @return the properties
	 */
	public static WireProperties json(String taskId, String replyTo, @Nullable Integer priority) {
		return json(taskId, replyTo, priority, DeliveryMode.PERSISTENT);
	}

	/**
	 * Properties of a JSON task message.
	 * @param taskId the task id, used as correlation id
	 * @param replyTo the reply address
	 * @param priority the priority, or {@code null}
	 * @param deliveryMode whether the broker keeps the message across its restart
	 * @return the properties
	 */
	public static WireProperties json(String taskId, String replyTo, @Nullable Integer priority,
			DeliveryMode deliveryMode) {
		return new WireProperties(JSON, UTF_8, taskId, replyTo, priority, deliveryMode.amqpValue());
	}

	/**
	 * Return a copy with the given priority.
	 * @param priority the new priority
	 * @return the copy
	 */
	public WireProperties withPriority(@Nullable Integer priority) {
		return new WireProperties(this.contentType, this.contentEncoding, this.correlationId, this.replyTo, priority,
				this.deliveryMode);
	}

}
