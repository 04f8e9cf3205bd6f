package io.taskqueue.autoconfigure.redis;

import io.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import io.taskqueue.listener.TaskMessageProcessor;
import io.taskqueue.observation.CeleryEventEmitter;
import io.taskqueue.observation.redis.RedisCeleryEventTransport;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Auto-configuration of Celery events on the Redis broker ({@code taskqueue.events.enabled=true}).
 */
@AutoConfiguration(before = TaskQueueAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnBooleanProperty("taskqueue.events.enabled")
@ConditionalOnProperty(name = "taskqueue.broker.type", havingValue = "redis")
public final class RedisCeleryEventsAutoConfiguration {

	@Bean
	CeleryEventEmitter taskCeleryEvents(RedisConnectionFactory connectionFactory, ObjectProvider<JsonMapper> mapper,
			ObjectProvider<TaskMessageProcessor> processor) {
		int database = (connectionFactory instanceof LettuceConnectionFactory lettuce) ? lettuce.getDatabase() : 0;
		return new CeleryEventEmitter(
				new RedisCeleryEventTransport(connectionFactory, mapper.getIfAvailable(JsonMapper::new), database),
				() -> processor.stream().mapToInt((worker) -> worker.activeTasks().size()).sum());
	}

}
