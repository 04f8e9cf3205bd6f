package io.taskqueue.beat.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.taskqueue.beat.BeatStore;
import io.taskqueue.support.redis.LuaScripts;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A {@link BeatStore} on Redis, shared by every application instance: the leader lease, one key per
 * claimed tick ({@code _taskqueue.beat.tick.<entry>.<millis>}) and last-run times, each step atomic.
 */
public class RedisBeatStore implements BeatStore {

	private final StringRedisTemplate redis;

	private final String prefix;

	private final RedisScript<Long> lead = script("lead.lua", Long.class);

	private final RedisScript<Long> resign = script("resign.lua", Long.class);

	private final RedisScript<String> claim = script("claim.lua", String.class);

	private final RedisScript<Long> recordRun = script("record-run.lua", Long.class);

	/**
	 * Create a store.
	 * @param connectionFactory the application's Redis connections
	 * @param keyPrefix a prefix for every key
	 */
	public RedisBeatStore(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.prefix = keyPrefix + "_taskqueue.beat.";
	}

	@Override
	public boolean lead(String instance, Duration lease) {
		Long led = this.redis.execute(this.lead, List.of(this.prefix + "leader"), instance,
				Long.toString(lease.toMillis()));
		return led != null && led == 1;
	}

	@Override
	public void resign(String instance) {
		this.redis.execute(this.resign, List.of(this.prefix + "leader"), instance);
	}

	@Override
	public Claim claim(String entry, Instant tick, String instance, Duration claimLease) {
		String outcome = this.redis.execute(this.claim, List.of(tickKey(entry, tick)), instance,
				Long.toString(claimLease.toMillis()));
		return Claim.valueOf(outcome);
	}

	@Override
	public void markSent(String entry, Instant tick, Duration retention) {
		this.redis.opsForValue().set(tickKey(entry, tick), "sent", retention);
	}

	@Override
	public @Nullable Instant lastRun(String entry) {
		String millis = this.redis.opsForValue().get(this.prefix + "last." + entry);
		return (millis != null) ? Instant.ofEpochMilli(Long.parseLong(millis)) : null;
	}

	@Override
	public void recordRun(String entry, Instant tick) {
		this.redis.execute(this.recordRun, List.of(this.prefix + "last." + entry), Long.toString(tick.toEpochMilli()));
	}

	private String tickKey(String entry, Instant tick) {
		return this.prefix + "tick." + entry + "." + tick.toEpochMilli();
	}

	private static <T> RedisScript<T> script(String name, Class<T> type) {
		return LuaScripts.load(RedisBeatStore.class, name, type);
	}

}
