package io.taskqueue.autoconfigure.redis;

import java.time.Clock;

import io.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import io.taskqueue.autoconfigure.TaskQueueClock;
import io.taskqueue.autoconfigure.TaskQueueProperties;
import io.taskqueue.cluster.WorkerRegistry;
import io.taskqueue.cluster.redis.RedisWorkerRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of the cluster-wide {@link WorkerRegistry} on Redis, whenever Redis is the
 * broker or the result backend.
 */
@AutoConfiguration(before = TaskQueueAutoConfiguration.class,
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" })
@ConditionalOnClass(RedisConnectionFactory.class)
@Conditional(RedisInUseCondition.class)
@EnableConfigurationProperties(TaskQueueProperties.class)
public final class RedisWorkerRegistryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(WorkerRegistry.class)
	RedisWorkerRegistry taskQueueWorkerRegistry(RedisConnectionFactory connectionFactory,
			ObjectProvider<JsonMapper> jsonMapper, TaskQueueProperties properties,
			@Qualifier(TaskQueueClock.BEAN_NAME) ObjectProvider<Clock> clock) {
		return new RedisWorkerRegistry(connectionFactory, jsonMapper.getIfAvailable(JsonMapper::new),
				properties.getRedis().getKeyPrefix(), TaskQueueClock.resolve(clock));
	}

}
