package io.taskqueue.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TaskRateLimiter} for one JVM: the default when no shared store is configured, so the
 * limit holds per worker process.
 */
public class InMemoryTaskRateLimiter implements TaskRateLimiter {

	private final Map<String, AtomicLong> nextSlots = new ConcurrentHashMap<>();

	private final Clock clock;

	/**
	 * Create a limiter.
	 * @param clock the clock slots are measured with
	 */
	public InMemoryTaskRateLimiter(Clock clock) {
		this.clock = clock;
	}

	@Override
	public Duration reserve(String key, RateLimit limit) {
		long interval = limit.interval().toNanos();
		long now = this.clock.millis() * 1_000_000L;
		AtomicLong next = this.nextSlots.computeIfAbsent(key, (name) -> new AtomicLong());
		long slot = next.getAndUpdate((previous) -> Math.max(previous, now) + interval);
		long reserved = Math.max(slot, now);
		return Duration.ofNanos(reserved - now);
	}

}
