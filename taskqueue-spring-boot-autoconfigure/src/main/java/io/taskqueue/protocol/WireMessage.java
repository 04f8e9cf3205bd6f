package io.taskqueue.protocol;

import java.util.Map;

/**
 * A task message as a broker carries it: Celery headers, AMQP-style properties and the body bytes.
 *
 * <p>This is the unit every {@code TaskBroker} moves. Brokers map it to their own envelope (kombu's
 * JSON envelope on Redis, an AMQP message on RabbitMQ) without looking inside the body.
 *
 * @param headers the task headers ({@code task}, {@code id}, {@code eta}, ...); values are JSON types
 * @param properties the message properties
 * @param body the serialized body, {@code [args, kwargs, embed]} as UTF-8 JSON for a valid task
 */
public record WireMessage(Map<String, Object> headers, WireProperties properties, byte[] body) {

	/**
	 * Return a header value as a string, or {@code null} when absent or not a string.
	 * @param name the header name
	 * @return the value or {@code null}
	 */
	public @org.jspecify.annotations.Nullable String header(String name) {
		return (this.headers.get(name) instanceof String value) ? value : null;
	}

	/**
	 * Return the task id carried in the headers, or {@code null} when absent.
	 * @return the task id
	 */
	public @org.jspecify.annotations.Nullable String taskId() {
		return header("id");
	}

	/**
	 * Return the task name carried in the headers, or {@code null} when absent.
	 * @return the task name
	 */
	public @org.jspecify.annotations.Nullable String taskName() {
		return header("task");
	}

}
