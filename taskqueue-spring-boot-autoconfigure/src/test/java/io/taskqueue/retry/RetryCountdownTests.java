package io.taskqueue.retry;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryCountdownTests {

	@Test
	void withoutBackoffEveryRetryWaitsTheDefaultDelay() {
		for (int retries = 0; retries < 5; retries++) {
			assertThat(RetryCountdown.of(retries, Duration.ofSeconds(3), false, Duration.ofMinutes(10), true))
				.isEqualTo(Duration.ofSeconds(3));
		}
	}

	@Test
	void backoffDoublesFromTheDefaultDelayUpToTheCap() {
		assertThat(java.util.stream.IntStream.range(0, 7)
			.mapToObj((retries) -> RetryCountdown.of(retries, Duration.ofSeconds(1), true, Duration.ofSeconds(20), false)
				.toSeconds())).containsExactly(1L, 2L, 4L, 8L, 16L, 20L, 20L);
	}

	@Test
	void jitterStaysBetweenZeroAndTheBackoff() {
		for (int i = 0; i < 200; i++) {
			assertThat(RetryCountdown.of(3, Duration.ofSeconds(1), true, Duration.ofMinutes(1), true))
				.isBetween(Duration.ZERO, Duration.ofSeconds(8));
		}
	}

	@Test
	void theBudgetCountsRetriesAndMinusOneMeansUnlimited() {
		assertThat(RetryCountdown.allowed(2, 3)).isTrue();
		assertThat(RetryCountdown.allowed(3, 3)).isFalse();
		assertThat(RetryCountdown.allowed(1_000, -1)).isTrue();
	}

}
