package io.taskqueue.protocol;

/**
 * Whether a broker keeps a task message across its own restart: the AMQP {@code delivery_mode} of a
 * task message, Celery's {@code task_default_delivery_mode}.
 */
public enum DeliveryMode {

	/**
	 * Written to disk by RabbitMQ, so that a queued task survives a restart of the broker (the default,
	 * as in Celery).
	 */
	PERSISTENT(2),

	/**
	 * Kept in memory by RabbitMQ: a task still queued when the broker restarts is lost, and RabbitMQ
	 * spends markedly less CPU per message. Acknowledgements still protect a task from a worker that
	 * dies. Redis keeps every message the same way whatever this says.
	 */
	TRANSIENT(1);

	private final int amqpValue;

	DeliveryMode(int amqpValue) {
		this.amqpValue = amqpValue;
	}

	/**
	 * Return the value of the AMQP {@code delivery_mode} property.
	 * @return 2 for persistent, 1 for transient
	 */
	public int amqpValue() {
		return this.amqpValue;
	}

}
