package io.taskqueue.autoconfigure.rabbit;

import io.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import io.taskqueue.listener.TaskMessageProcessor;
import io.taskqueue.observation.CeleryEventEmitter;
import io.taskqueue.observation.rabbit.RabbitCeleryEventTransport;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Celery events on the RabbitMQ broker ({@code taskqueue.events.enabled=true}).
 */
@AutoConfiguration(before = TaskQueueAutoConfiguration.class,
		afterName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration")
@ConditionalOnClass(ConnectionFactory.class)
@ConditionalOnBooleanProperty("taskqueue.events.enabled")
@ConditionalOnProperty(name = "taskqueue.broker.type", havingValue = "rabbit")
public final class RabbitCeleryEventsAutoConfiguration {

	@Bean
	CeleryEventEmitter taskCeleryEvents(ConnectionFactory connectionFactory, ObjectProvider<JsonMapper> mapper,
			ObjectProvider<TaskMessageProcessor> processor) {
		return new CeleryEventEmitter(
				new RabbitCeleryEventTransport(connectionFactory, mapper.getIfAvailable(JsonMapper::new)),
				() -> processor.stream().mapToInt((worker) -> worker.activeTasks().size()).sum());
	}

}
