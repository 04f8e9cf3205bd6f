package io.taskqueue.result.redis;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import io.taskqueue.support.CombiningWriter;
import io.taskqueue.support.redis.LuaScripts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Revoked tasks, as a worker checks them before running each task. Like Celery's workers, a worker
 * keeps the revocations in memory: it loads those in force when its subscription starts (and again
 * after every reconnect the subscriber notices) and adds each new one from its announcement, so the
 * check before each task costs nothing.
 *
 * <p>It reads Redis per task instead, as it did before there was a list, until the list is loaded,
 * while the subscriber knows its connection is down, and after a store of the backend failed (Redis
 * out of reach) until the list loads again, so that a worker cut off from Redis does not run tasks
 * whose outcome it cannot store. Every few seconds it compares how many revocations are in force with
 * how many it holds, and reloads the list when they differ: the Redis client re-subscribes by itself
 * after a short disconnection, and what was announced meanwhile is picked up then.
 *
 * <p>A revocation reaches running workers as a notification, so a task that starts within the
 * notification's delivery time (well under a millisecond on a healthy connection) after
 * {@code revoke} returns may still run; Celery's broadcast revocations behave the same.
 */
final class RedisRevocations {

	private static final Log logger = LogFactory.getLog(RedisRevocations.class);

	/** The channel new revocations are announced on: {@code "<task id> <ms in force, 0: forever>"}. */
	static final String CHANNEL = "taskqueue-revoke";

	private static final String KEY_PREFIX = "taskqueue-revoked-";

	private static final String LIST_KEY = "taskqueue-revoked";

	private static final int MAX_BATCH = 256;

	/** The end of a revocation that never ends. */
	private static final long FOREVER = Long.MAX_VALUE;

	private final StringRedisTemplate redis;

	private final String terminateChannel;

	private final BooleanSupplier subscribed;

	private final RedisScript<Long> revokeScript = LuaScripts.load(RedisRevocations.class, "revoke.lua", Long.class);

	private final RedisScript<List> listScript = LuaScripts.load(RedisRevocations.class, "revoked.lua", List.class);

	private final CombiningWriter<String, Boolean> reads = new CombiningWriter<>(this::readRevoked, MAX_BATCH);

	/** Revoked task ids and when their revocation ends, in {@link System#nanoTime()} terms. */
	private final Map<String, Long> inForce = new ConcurrentHashMap<>();

	private volatile boolean loaded;

	/** Whether this process holds the list (it is a worker); producers only ever revoke. */
	private volatile boolean held;

	/**
	 * Create the revocations.
	 * @param redis the result backend's Redis
	 * @param terminateChannel where revocations with terminate are also announced
	 * @param subscribed whether the subscription that carries {@link #CHANNEL} is up right now
	 */
	RedisRevocations(StringRedisTemplate redis, String terminateChannel, BooleanSupplier subscribed) {
		this.redis = redis;
		this.terminateChannel = terminateChannel;
		this.subscribed = subscribed;
	}

	/**
	 * Revoke a task.
	 * @param timeToLive how long the revocation lasts; zero or less: forever
	 */
	void revoke(String taskId, boolean terminate, Duration timeToLive) {
		long millis = timeToLive.isNegative() ? 0 : timeToLive.toMillis();
		this.redis.execute(this.revokeScript, List.of(KEY_PREFIX + taskId, LIST_KEY), taskId,
				terminate ? "terminate" : "revoke", Long.toString(millis), CHANNEL, this.terminateChannel);
		// Read your own writes: this process knows at once, without waiting for the announcement.
		this.inForce.put(taskId, until(System.nanoTime(), millis));
	}

	boolean isRevoked(String taskId) {
		if (this.loaded && this.subscribed.getAsBoolean()) {
			Long until = this.inForce.get(taskId);
			return until != null && inForce(until, System.nanoTime());
		}
		return this.reads.submit(taskId);
	}

	/**
	 * Read Redis for every task until the list loads again; called when Redis was out of reach.
	 */
	void suspend() {
		this.loaded = false;
	}

	/**
	 * Load the revocations in force; called each time the notification channel is (re)subscribed, so
	 * nothing announced while it was down is missed.
	 */
	void load() {
		this.held = true;
		load(-1);
	}

	/**
	 * Forget revocations that have ended and, once this process holds the list, check it against
	 * Redis's, reloading it if they differ or if it is not loaded. Called every few seconds.
	 */
	void refresh() {
		long now = System.nanoTime();
		this.inForce.values().removeIf((until) -> !inForce(until, now));
		if (this.held) {
			load(this.loaded ? this.inForce.size() : -1);
		}
	}

	private void load(int holding) {
		try {
			List<?> reply = this.redis.execute(this.listScript, List.of(LIST_KEY), Integer.toString(holding));
			if (reply == null || reply.isEmpty()) {
				throw new IllegalStateException("Redis answered no revocations (in a transaction or pipeline?)");
			}
			if (reply.size() > 1 || holding < 0) {
				long now = System.nanoTime();
				Map<String, Long> fresh = new HashMap<>();
				for (int i = 1; i + 1 < reply.size(); i += 2) {
					fresh.put(reply.get(i).toString(), until(now, Long.parseLong(reply.get(i + 1).toString())));
				}
				// Added, never replaced: an announcement may arrive while this reply is on its way.
				this.inForce.putAll(fresh);
			}
			this.loaded = true;
		}
		catch (RuntimeException ex) {
			this.loaded = false;
			logger.debug("Could not load revoked tasks; reading them per task until the next attempt: "
					+ ex.getMessage());
		}
	}

	/**
	 * Take a revocation announced on {@link #CHANNEL}.
	 * @param announcement {@code "<task id> <ms in force, 0: forever>"}
	 */
	void announced(String announcement) {
		int space = announcement.lastIndexOf(' ');
		if (space <= 0) {
			return;
		}
		try {
			long millis = Long.parseLong(announcement.substring(space + 1));
			this.inForce.put(announcement.substring(0, space), until(System.nanoTime(), millis));
		}
		catch (NumberFormatException ex) {
			logger.debug("Ignored a malformed revocation announcement: " + announcement);
		}
	}

	private List<Boolean> readRevoked(List<String> taskIds) {
		List<String> values = this.redis.opsForValue()
			.multiGet(taskIds.stream().map((taskId) -> KEY_PREFIX + taskId).toList());
		if (values == null) {
			throw new IllegalStateException("Redis answered no revocation states (in a transaction or pipeline?)");
		}
		return values.stream().map(Objects::nonNull).toList();
	}

	private static long until(long now, long millis) {
		return (millis <= 0) ? FOREVER : now + Duration.ofMillis(millis).toNanos();
	}

	private static boolean inForce(long until, long now) {
		return until == FOREVER || until - now > 0;
	}

}
