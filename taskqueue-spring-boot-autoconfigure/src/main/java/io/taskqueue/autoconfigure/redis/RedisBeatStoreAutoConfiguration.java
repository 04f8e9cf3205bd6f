package io.taskqueue.autoconfigure.redis;

import io.taskqueue.autoconfigure.TaskQueueProperties;
import io.taskqueue.beat.BeatStore;
import io.taskqueue.beat.redis.RedisBeatStore;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of the Redis {@link BeatStore}, so that beat instances anywhere in the cluster
 * share one leader and send each tick once, whenever Redis is the broker or result backend.
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnProperty(name = "taskqueue.beat.enabled", havingValue = "true")
@Conditional(RedisInUseCondition.class)
@EnableConfigurationProperties(TaskQueueProperties.class)
public final class RedisBeatStoreAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(BeatStore.class)
	RedisBeatStore taskBeatStore(RedisConnectionFactory connectionFactory, TaskQueueProperties properties) {
		return new RedisBeatStore(connectionFactory, properties.getRedis().getKeyPrefix());
	}

}
