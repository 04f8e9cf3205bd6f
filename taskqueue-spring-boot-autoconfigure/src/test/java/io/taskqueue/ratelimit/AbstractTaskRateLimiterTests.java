package io.taskqueue.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of every {@link TaskRateLimiter}: slots are handed out one interval apart, the first
 * at once, and every limiter sharing the store shares the limit.
 */
public abstract class AbstractTaskRateLimiterTests {

	protected abstract TaskRateLimiter createLimiter();

	@Test
	void theFirstSlotIsNowAndLaterOnesAreOneIntervalApart() {
		TaskRateLimiter limiter = createLimiter();
		String key = "contract-" + UUID.randomUUID();
		RateLimit limit = RateLimit.parse("10/s");
		List<Duration> waits = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			waits.add(limiter.reserve(key, limit));
		}
		assertThat(waits.get(0)).isEqualTo(Duration.ZERO);
		for (int i = 1; i < waits.size(); i++) {
			assertThat(waits.get(i).minus(waits.get(i - 1))).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
		}
	}

	@Test
	void differentKeysHaveTheirOwnSlots() {
		TaskRateLimiter limiter = createLimiter();
		RateLimit limit = RateLimit.parse("1/m");
		String key = "contract-" + UUID.randomUUID();
		assertThat(limiter.reserve(key + "a", limit)).isEqualTo(Duration.ZERO);
		assertThat(limiter.reserve(key + "b", limit)).isEqualTo(Duration.ZERO);
		assertThat(limiter.reserve(key + "a", limit)).isGreaterThan(Duration.ofSeconds(50));
	}

}
