package io.taskqueue.result.redis;

import java.time.Duration;
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
 * after every reconnect) and adds each new one from a notification, so the check before each task
 * costs nothing. While the subscription is down the check reads Redis instead, as it did before
 * there was a list, so no revocation is missed for want of a connection.
 *
 * <p>A revocation reaches running workers as a notification, so a task that starts within the
 * notification's delivery time (well under a millisecond on a healthy connection) after
 * {@code revoke} returns may still run; Celery's broadcast revocations behave the same. The list is
 * also reloaded every few seconds, in case a notification was lost on a connection that recovered
 * by itself.
 */
final class RedisRevocations {

	private static final Log logger = LogFactory.getLog(RedisRevocations.class);

	/** The channel new revocations are announced on: {@code "<task id> <ms in force>"}. */
	static final String CHANNEL = "taskqueue-revoke";

	private static final String KEY_PREFIX = "taskqueue-revoked-";

	private static final String LIST_KEY = "taskqueue-revoked";

	private static final int MAX_BATCH = 256;

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

	void revoke(String taskId, boolean terminate, Duration timeToLive) {
		this.redis.execute(this.revokeScript, List.of(KEY_PREFIX + taskId, LIST_KEY), taskId,
				terminate ? "terminate" : "revoke", Long.toString(Math.max(1, timeToLive.toMillis())), CHANNEL,
				this.terminateChannel);
		// Read your own writes: this process knows at once, without waiting for the announcement.
		this.inForce.put(taskId, System.nanoTime() + timeToLive.toNanos());
	}

	boolean isRevoked(String taskId) {
		if (this.loaded && this.subscribed.getAsBoolean()) {
			Long until = this.inForce.get(taskId);
			return until != null && until - System.nanoTime() > 0;
		}
		return this.reads.submit(taskId);
	}

	/**
	 * Load the revocations in force; called each time the notification channel is (re)subscribed, so
	 * nothing announced while it was down is missed.
	 */
	void load() {
		this.held = true;
		try {
			List<?> entries = this.redis.execute(this.listScript, List.of(LIST_KEY));
			long now = System.nanoTime();
			for (int i = 0; entries != null && i + 1 < entries.size(); i += 2) {
				this.inForce.put(entries.get(i).toString(), now + millisToNanos(entries.get(i + 1).toString()));
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
	 * @param announcement {@code "<task id> <ms in force>"}
	 */
	void announced(String announcement) {
		int space = announcement.lastIndexOf(' ');
		if (space <= 0) {
			return;
		}
		try {
			this.inForce.put(announcement.substring(0, space),
					System.nanoTime() + millisToNanos(announcement.substring(space + 1)));
		}
		catch (NumberFormatException ex) {
			logger.debug("Ignored a malformed revocation announcement: " + announcement);
		}
	}

	/**
	 * Forget revocations that have ended and, once this process holds the list, load it again: a
	 * client library that quietly re-subscribes after a network blip would otherwise leave out what
	 * was announced meanwhile. Called every few seconds.
	 */
	void refresh() {
		long now = System.nanoTime();
		this.inForce.values().removeIf((until) -> until - now <= 0);
		if (this.held) {
			load();
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

	private static long millisToNanos(String millis) {
		return Duration.ofMillis(Long.parseLong(millis)).toNanos();
	}

}
