package io.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a beat entry fires: a Spring cron expression in a time zone, or a fixed interval aligned to
 * the epoch (so that every instance computes the same ticks).
 */
public sealed interface BeatSchedule {

	/**
	 * Return the first fire time strictly after the given instant.
	 * @param after the instant
	 * @return the next fire time, or {@code null} if the schedule never fires again
	 */
	@Nullable Instant next(Instant after);

	/**
	 * Describe the schedule for humans (and the {@code tasks} endpoint).
	 * @return the description
	 */
	String describe();

	/**
	 * A cron schedule, matched against local date-times in its zone so that every local time fires
	 * once: on a day the clocks go forward, a local time that does not exist (02:30) fires at the
	 * instant it is shifted to (03:30), where plain {@code CronExpression} arithmetic skips it; on a
	 * day they go back, a local time that occurs twice fires at its first occurrence only.
	 *
	 * @param expression the cron expression
	 * @param zone the time zone it is read in
	 */
	record Cron(CronExpression expression, ZoneId zone) implements BeatSchedule {

		@Override
		public @Nullable Instant next(Instant after) {
			LocalDateTime local = LocalDateTime.ofInstant(after, this.zone);
			while (true) {
				LocalDateTime match = this.expression.next(local);
				if (match == null) {
					return null;
				}
				Instant candidate = ZonedDateTime.ofLocal(match, this.zone, null).toInstant();
				if (candidate.isAfter(after)) {
					return candidate;
				}
				local = match;
			}
		}

		@Override
		public String describe() {
			return "cron " + this.expression + " " + this.zone;
		}

	}

	/**
	 * A fixed interval, ticking at whole multiples of the interval since the epoch.
	 *
	 * @param every the interval
	 */
	record Every(Duration every) implements BeatSchedule {

		/**
		 * Validate the interval.
		 */
		public Every {
			if (every.isNegative() || every.isZero()) {
				throw new IllegalArgumentException("the interval must be positive, got " + every);
			}
		}

		@Override
		public Instant next(Instant after) {
			long period = this.every.toMillis();
			long ticks = Math.floorDiv(after.toEpochMilli(), period) + 1;
			return Instant.ofEpochMilli(ticks * period);
		}

		@Override
		public String describe() {
			return "every " + this.every;
		}

	}

}
