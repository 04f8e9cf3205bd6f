package io.taskqueue.ratelimit;

import java.time.Duration;
import java.util.Locale;

/**
 * A rate limit in Celery's notation: {@code "10/s"}, {@code "100/m"}, {@code "1000/h"} (a bare number
 * means per second).
 *
 * @param permits how many executions are allowed per period
 * @param period the period
 */
public record RateLimit(long permits, Duration period) {

	/**
	 * Validate the limit.
	 */
	public RateLimit {
		if (permits <= 0) {
			throw new IllegalArgumentException("A rate limit needs a positive number of tasks, got " + permits);
		}
	}

	/**
	 * Parse Celery's notation.
	 * @param text the limit, e.g. {@code "10/m"}
	 * @return the rate limit
	 * @throws IllegalArgumentException if the text is not a rate limit
	 */
	public static RateLimit parse(String text) {
		String[] parts = text.trim().toLowerCase(Locale.ROOT).split("/", 2);
		try {
			long permits = Long.parseLong(parts[0].trim());
			if (parts.length == 1) {
				return new RateLimit(permits, Duration.ofSeconds(1));
			}
			Duration period = switch (parts[1].trim()) {
				case "s" -> Duration.ofSeconds(1);
				case "m" -> Duration.ofMinutes(1);
				case "h" -> Duration.ofHours(1);
				default -> throw new IllegalArgumentException("unknown period '" + parts[1] + "'");
			};
			return new RateLimit(permits, period);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"Invalid rate limit '" + text + "': expected '<count>/s', '<count>/m' or '<count>/h' (" + ex.getMessage()
							+ ")",
					ex);
		}
	}

	/**
	 * Return the time between two permits at a steady rate.
	 * @return the interval
	 */
	public Duration interval() {
		return this.period.dividedBy(this.permits);
	}

}
