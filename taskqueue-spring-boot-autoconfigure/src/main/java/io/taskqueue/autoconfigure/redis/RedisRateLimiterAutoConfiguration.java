package io.taskqueue.autoconfigure.redis;

import io.taskqueue.autoconfigure.TaskQueueProperties;
import io.taskqueue.autoconfigure.worker.TaskWorkerAutoConfiguration;
import io.taskqueue.ratelimit.TaskRateLimiter;
import io.taskqueue.ratelimit.redis.RedisTaskRateLimiter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of the cluster-wide Redis {@link TaskRateLimiter}, used whenever Redis is the
 * broker or the result backend; otherwise rate limits hold per worker process.
 */
@AutoConfiguration(before = TaskWorkerAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(RedisConnectionFactory.class)
@Conditional(RedisInUseCondition.class)
@EnableConfigurationProperties(TaskQueueProperties.class)
public final class RedisRateLimiterAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(TaskRateLimiter.class)
	RedisTaskRateLimiter taskRateLimiter(RedisConnectionFactory connectionFactory, TaskQueueProperties properties) {
		return new RedisTaskRateLimiter(connectionFactory, properties.getRedis().getKeyPrefix());
	}

}
