package io.taskqueue.ratelimit.redis;

import java.time.Duration;

import io.taskqueue.ratelimit.AbstractTaskRateLimiterTests;
import io.taskqueue.ratelimit.RateLimit;
import io.taskqueue.ratelimit.TaskRateLimiter;
import io.taskqueue.redis.RedisTestConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

class RedisTaskRateLimiterIntegrationTests extends AbstractTaskRateLimiterTests {

	@RegisterExtension
	static final RedisTestConnection redis = new RedisTestConnection("tqrate-");

	@Override
	protected TaskRateLimiter createLimiter() {
		return new RedisTaskRateLimiter(redis.connectionFactory(), redis.prefix());
	}

	@Test
	void limitersOnTheSameRedisShareTheLimit() {
		RateLimit limit = RateLimit.parse("1/m");
		assertThat(createLimiter().reserve("shared", limit)).isEqualTo(Duration.ZERO);
		assertThat(createLimiter().reserve("shared", limit)).isGreaterThan(Duration.ofSeconds(50));
	}

}
