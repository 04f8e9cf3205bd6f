package io.taskqueue.autoconfigure;

import io.taskqueue.broker.TaskBroker;
import io.taskqueue.result.ResultBackend;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Turns a missing broker or result backend into an error that says which setting asked for it and
 * which dependency provides it, instead of a bare "no qualifying bean".
 */
final class MissingInfrastructure {

	private MissingInfrastructure() {
	}

	static TaskBroker broker(ObjectProvider<TaskBroker> broker, TaskQueueProperties properties) {
		TaskBroker available = broker.getIfAvailable();
		if (available == null) {
			throw new IllegalStateException("No TaskBroker for taskqueue.broker.type="
					+ properties.getBroker().getType().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ": "
					+ hint(properties.getBroker().getType().name()) + ", or define a TaskBroker bean");
		}
		return available;
	}

	static ResultBackend resultBackend(ObjectProvider<ResultBackend> backend, TaskQueueProperties properties) {
		ResultBackend available = backend.getIfAvailable();
		if (available == null) {
			throw new IllegalStateException("No ResultBackend for taskqueue.result-backend.type="
					+ properties.getResultBackend().getType().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ": "
					+ hint(properties.getResultBackend().getType().name()) + ", or define a ResultBackend bean");
		}
		return available;
	}

	private static String hint(String type) {
		return switch (type) {
			case "REDIS" -> "add org.springframework.boot:spring-boot-starter-data-redis and configure spring.data.redis.*";
			case "RABBIT" -> "the RabbitMQ broker needs org.springframework.boot:spring-boot-starter-amqp";
			default -> "check the taskqueue.* configuration";
		};
	}

}
