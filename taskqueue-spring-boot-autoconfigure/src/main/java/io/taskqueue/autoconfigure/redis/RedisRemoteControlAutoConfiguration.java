package io.taskqueue.autoconfigure.redis;

import io.taskqueue.autoconfigure.worker.TaskWorkerAutoConfiguration;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.listener.TaskMessageProcessor;
import io.taskqueue.remote.RemoteControlCommands;
import io.taskqueue.remote.redis.RedisRemoteControl;
import io.taskqueue.result.ResultBackend;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Auto-configuration of Celery remote control on the Redis broker
 * ({@code taskqueue.remote-control.enabled=true}).
 */
@AutoConfiguration(after = TaskWorkerAutoConfiguration.class)
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnBooleanProperty("taskqueue.remote-control.enabled")
@ConditionalOnProperty(name = "taskqueue.broker.type", havingValue = "redis")
@ConditionalOnBean(TaskListenerEndpointRegistry.class)
public final class RedisRemoteControlAutoConfiguration {

	@Bean
	RedisRemoteControl taskRemoteControl(RedisConnectionFactory connectionFactory,
			TaskListenerEndpointRegistry registry, TaskMessageProcessor processor, ResultBackend backend,
			ObjectProvider<JsonMapper> mapper) {
		int database = (connectionFactory instanceof LettuceConnectionFactory lettuce) ? lettuce.getDatabase() : 0;
		return new RedisRemoteControl(connectionFactory, new RemoteControlCommands(registry, processor, backend),
				mapper.getIfAvailable(JsonMapper::new), database);
	}

}
