package io.taskqueue.ratelimit.redis;

import java.time.Duration;
import java.util.List;

import io.taskqueue.ratelimit.RateLimit;
import io.taskqueue.ratelimit.TaskRateLimiter;
import io.taskqueue.support.redis.LuaScripts;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A {@link TaskRateLimiter} shared by every worker on one Redis: each reservation is one atomic
 * script on Redis's own clock, so the limit holds for the whole cluster (Celery's holds per worker).
 */
public class RedisTaskRateLimiter implements TaskRateLimiter {

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	private final RedisScript<Long> reserve = LuaScripts.load(RedisTaskRateLimiter.class, "reserve.lua", Long.class);

	/**
	 * Create a limiter.
	 * @param connectionFactory the application's Redis connections
	 * @param keyPrefix a prefix for the limiter's keys
	 */
	public RedisTaskRateLimiter(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keyPrefix = keyPrefix;
	}

	@Override
	public Duration reserve(String key, RateLimit limit) {
		long interval = Math.max(1, limit.interval().toNanos() / 1000);
		Long wait = this.redis.execute(this.reserve, List.of(this.keyPrefix + "_taskqueue.rate." + key),
				Long.toString(interval));
		return Duration.ofNanos(((wait != null) ? wait : 0L) * 1000);
	}

}
