package io.taskqueue.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The countdown before a retry, as Celery computes it: the requested one, else the fixed default
 * delay, or with back-off {@code min(max, delay x 2^retries)}, optionally with full jitter (a random
 * delay between zero and that value).
 */
public final class RetryCountdown {

	private RetryCountdown() {
	}

	/**
	 * Compute a countdown.
	 * @param retries how many times the task was retried already
	 * @param delay the default delay, and the first back-off step
	 * @param backoff whether to back off exponentially
	 * @param max the longest back-off countdown
	 * @param jitter whether to randomize a back-off countdown
	 * @return the countdown
	 */
	public static Duration of(int retries, Duration delay, boolean backoff, Duration max, boolean jitter) {
		if (!backoff) {
			return delay;
		}
		ExponentialBackOff policy = new ExponentialBackOff(Math.max(1, delay.toMillis()), 2.0);
		policy.setMaxInterval(Math.max(1, max.toMillis()));
		BackOffExecution execution = policy.start();
		long millis = execution.nextBackOff();
		for (int i = 0; i < retries; i++) {
			millis = execution.nextBackOff();
		}
		if (jitter) {
			millis = ThreadLocalRandom.current().nextLong(millis + 1);
		}
		return Duration.ofMillis(millis);
	}

	/**
	 * Whether a task that was retried {@code retries} times may be retried again.
	 * @param retries the retries so far
	 * @param maxRetries the budget, {@code -1} for no limit
	 * @return {@code true} while the budget lasts
	 */
	public static boolean allowed(int retries, int maxRetries) {
		return maxRetries < 0 || retries < maxRetries;
	}

}
