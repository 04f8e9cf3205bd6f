package io.taskqueue.ratelimit;

import java.time.Duration;

/**
 * Hands out execution slots at a limited rate (generic cell rate algorithm): each call reserves the
 * next free slot for a key and says how long until it. A caller that must wait is expected to
 * reschedule its work to that moment rather than block, and not to reserve again for it.
 */
@FunctionalInterface
public interface TaskRateLimiter {

	/**
	 * Reserve the next execution slot.
	 * @param key what is limited, e.g. the task name
	 * @param limit the rate limit
	 * @return how long until the reserved slot; {@link Duration#ZERO} to run now
	 */
	Duration reserve(String key, RateLimit limit);

}
