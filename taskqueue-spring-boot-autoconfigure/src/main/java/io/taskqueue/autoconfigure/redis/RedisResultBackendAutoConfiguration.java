package io.taskqueue.autoconfigure.redis;

import io.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import io.taskqueue.autoconfigure.TaskQueueProperties;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.redis.RedisResultBackend;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of the Redis {@link ResultBackend} ({@code taskqueue.result-backend.type=redis})
 * in Celery's layout, on the application's own Redis connection.
 */
@AutoConfiguration(before = TaskQueueAutoConfiguration.class,
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" })
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnProperty(name = "taskqueue.result-backend.type", havingValue = "redis")
@EnableConfigurationProperties(TaskQueueProperties.class)
public final class RedisResultBackendAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ResultBackend.class)
	RedisResultBackend taskResultBackend(RedisConnectionFactory connectionFactory,
			ObjectProvider<JsonMapper> jsonMapper, TaskQueueProperties properties) {
		return new RedisResultBackend(connectionFactory, jsonMapper.getIfAvailable(JsonMapper::new),
				properties.getResultBackend().getExpires());
	}

}
