package io.taskqueue.autoconfigure.redis;

import java.time.Clock;

import io.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import io.taskqueue.autoconfigure.TaskQueueClock;
import io.taskqueue.autoconfigure.TaskQueueProperties;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.broker.redis.RedisTaskBroker;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of the Redis {@link TaskBroker} ({@code taskqueue.broker.type=redis}) on the
 * application's own Redis connection ({@code spring.data.redis.*}). Never chosen implicitly, so a
 * cache's Redis is not silently turned into a task broker.
 */
@AutoConfiguration(before = TaskQueueAutoConfiguration.class,
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" })
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnProperty(name = "taskqueue.broker.type", havingValue = "redis")
@EnableConfigurationProperties(TaskQueueProperties.class)
public final class RedisTaskBrokerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(TaskBroker.class)
	RedisTaskBroker taskBroker(RedisConnectionFactory connectionFactory, ObjectProvider<JsonMapper> jsonMapper,
			TaskQueueProperties properties, @Qualifier(TaskQueueClock.BEAN_NAME) ObjectProvider<Clock> clock) {
		TaskQueueProperties.Redis redis = properties.getRedis();
		return new RedisTaskBroker(connectionFactory, jsonMapper.getIfAvailable(JsonMapper::new), redis.getKeyPrefix(),
				redis.getVisibilityTimeout(), TaskQueueClock.resolve(clock));
	}

}
