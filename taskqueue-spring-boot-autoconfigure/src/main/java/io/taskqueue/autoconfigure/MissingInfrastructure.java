package io.taskqueue.autoconfigure;

import java.util.Locale;

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
			throw missing("TaskBroker", "taskqueue.broker.type", properties.getBroker().getType().name());
		}
		return available;
	}

	static ResultBackend resultBackend(ObjectProvider<ResultBackend> backend, TaskQueueProperties properties) {
		ResultBackend available = backend.getIfAvailable();
		if (available == null) {
			throw missing("ResultBackend", "taskqueue.result-backend.type",
					properties.getResultBackend().getType().name());
		}
		return available;
	}

	private static MissingTaskInfrastructureException missing(String component, String property, String type) {
		return new MissingTaskInfrastructureException(component, property,
				type.toLowerCase(Locale.ROOT).replace('_', '-'), hint(type));
	}

	private static String hint(String type) {
		return switch (type) {
			case "REDIS" -> "add org.springframework.boot:spring-boot-starter-data-redis and configure spring.data.redis.*";
			case "RABBIT" -> "add org.springframework.boot:spring-boot-starter-amqp and configure spring.rabbitmq.*";
			default -> "check the taskqueue.* configuration";
		};
	}

}
