package io.taskqueue.autoconfigure.rabbit;

import io.taskqueue.autoconfigure.worker.TaskWorkerAutoConfiguration;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.listener.TaskMessageProcessor;
import io.taskqueue.remote.RemoteControlCommands;
import io.taskqueue.remote.rabbit.RabbitRemoteControl;
import io.taskqueue.result.ResultBackend;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Celery remote control on the RabbitMQ broker
 * ({@code taskqueue.remote-control.enabled=true}).
 */
@AutoConfiguration(after = TaskWorkerAutoConfiguration.class)
@ConditionalOnClass(ConnectionFactory.class)
@ConditionalOnBooleanProperty("taskqueue.remote-control.enabled")
@ConditionalOnProperty(name = "taskqueue.broker.type", havingValue = "rabbit")
@ConditionalOnBean(TaskListenerEndpointRegistry.class)
public final class RabbitRemoteControlAutoConfiguration {

	@Bean
	RabbitRemoteControl taskRemoteControl(ConnectionFactory connectionFactory, TaskListenerEndpointRegistry registry,
			TaskMessageProcessor processor, ResultBackend backend, ObjectProvider<JsonMapper> mapper) {
		return new RabbitRemoteControl(connectionFactory, new RemoteControlCommands(registry, processor, backend),
				mapper.getIfAvailable(JsonMapper::new));
	}

}
