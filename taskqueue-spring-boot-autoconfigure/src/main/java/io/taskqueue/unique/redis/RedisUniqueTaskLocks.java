package io.taskqueue.unique.redis;

import java.time.Duration;
import java.util.List;

import io.taskqueue.support.redis.LuaScripts;
import io.taskqueue.unique.UniqueTaskLocks;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link UniqueTaskLocks} on Redis, shared by every producer of the cluster; each operation is one
 * script, so concurrent claims cannot both win.
 */
public class RedisUniqueTaskLocks implements UniqueTaskLocks {

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	private final RedisScript<String> claim = script("claim.lua", String.class);

	private final RedisScript<Long> takeOver = script("take-over.lua", Long.class);

	private final RedisScript<Long> release = script("release.lua", Long.class);

	/**
	 * Create locks.
	 * @param connectionFactory the application's Redis connections
	 * @param keyPrefix a prefix for the keys
	 */
	public RedisUniqueTaskLocks(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keyPrefix = keyPrefix;
	}

	@Override
	public @Nullable String claim(String key, String taskId, Duration holdFor) {
		String holder = this.redis.execute(this.claim, keys(key), taskId, millis(holdFor));
		return (holder == null || holder.isEmpty()) ? null : holder;
	}

	@Override
	public boolean takeOver(String key, String holderId, String taskId, Duration holdFor) {
		Long done = this.redis.execute(this.takeOver, keys(key), holderId, taskId, millis(holdFor));
		return done != null && done == 1L;
	}

	@Override
	public void release(String key, String taskId) {
		this.redis.execute(this.release, keys(key), taskId);
	}

	private List<String> keys(String key) {
		return List.of(this.keyPrefix + "_taskqueue.unique." + key);
	}

	private static String millis(Duration holdFor) {
		return Long.toString(Math.max(1, holdFor.toMillis()));
	}

	private static <T> RedisScript<T> script(String name, Class<T> type) {
		return LuaScripts.load(RedisUniqueTaskLocks.class, name, type);
	}

}
