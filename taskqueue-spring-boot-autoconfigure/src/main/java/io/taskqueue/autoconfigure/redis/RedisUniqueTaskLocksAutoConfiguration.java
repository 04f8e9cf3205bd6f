package io.taskqueue.autoconfigure.redis;

import io.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import io.taskqueue.autoconfigure.TaskQueueProperties;
import io.taskqueue.unique.UniqueTaskLocks;
import io.taskqueue.unique.redis.RedisUniqueTaskLocks;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of cluster-wide unique-task claims on Redis, used whenever Redis is the broker
 * or the result backend; otherwise claims hold per producer process.
 */
@AutoConfiguration(before = TaskQueueAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(RedisConnectionFactory.class)
@Conditional(RedisInUseCondition.class)
@EnableConfigurationProperties(TaskQueueProperties.class)
public final class RedisUniqueTaskLocksAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(UniqueTaskLocks.class)
	RedisUniqueTaskLocks taskQueueUniqueTaskLocks(RedisConnectionFactory connectionFactory,
			TaskQueueProperties properties) {
		return new RedisUniqueTaskLocks(connectionFactory, properties.getRedis().getKeyPrefix());
	}

}
