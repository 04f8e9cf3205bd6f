package io.taskqueue.ratelimit.redis;

import java.time.Duration;
import java.util.UUID;

import io.taskqueue.ratelimit.AbstractTaskRateLimiterTests;
import io.taskqueue.ratelimit.RateLimit;
import io.taskqueue.ratelimit.TaskRateLimiter;
import io.taskqueue.redis.RedisTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

class RedisTaskRateLimiterIntegrationTests extends AbstractTaskRateLimiterTests {

	private static LettuceConnectionFactory connectionFactory;

	private final String prefix = "tqrate-" + UUID.randomUUID() + ":";

	@BeforeAll
	static void connect() {
		connectionFactory = RedisTestSupport.connectionFactory();
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@AfterEach
	void cleanUp() {
		RedisTestSupport.deleteKeys(connectionFactory, this.prefix + "*");
	}

	@Override
	protected TaskRateLimiter createLimiter() {
		return new RedisTaskRateLimiter(connectionFactory, this.prefix);
	}

	@Test
	void limitersOnTheSameRedisShareTheLimit() {
		RateLimit limit = RateLimit.parse("1/m");
		assertThat(createLimiter().reserve("shared", limit)).isEqualTo(Duration.ZERO);
		assertThat(createLimiter().reserve("shared", limit)).isGreaterThan(Duration.ofSeconds(50));
	}

}
