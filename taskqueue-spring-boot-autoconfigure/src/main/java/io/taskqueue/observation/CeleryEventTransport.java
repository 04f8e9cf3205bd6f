package io.taskqueue.observation;

import java.util.Map;

/**
 * Publishes a Celery event on the broker's {@code celeryev} exchange.
 */
@FunctionalInterface
public interface CeleryEventTransport {

	/**
	 * Publish one event.
	 * @param routingKey the event type with {@code -} replaced by {@code .}, e.g. {@code task.started}
	 * @param event the event
	 */
	void send(String routingKey, Map<String, Object> event);

}
