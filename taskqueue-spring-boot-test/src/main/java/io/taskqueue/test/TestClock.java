package io.taskqueue.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock for tests that runs with real time but can be moved: {@link #advance} jumps it forward,
 * {@link #setInstant} puts it at a given instant, and time keeps flowing from there. Because it
 * keeps flowing, leases, poll timeouts and result expiry behave as in production while a test
 * skips a countdown, a retry back-off or a beat interval.
 *
 * <p>taskqueue's test support registers one as the {@code taskQueueClock} bean; use it through
 * {@link TaskQueueTester#advanceClock}, which also delivers what the jump made due.
 */
public final class TestClock extends Clock {

	private final AtomicReference<Duration> offset;

	private final ZoneId zone;

	/**
	 * Create a clock that starts at the current time, in UTC.
	 */
	public TestClock() {
		this(new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
	}

	private TestClock(AtomicReference<Duration> offset, ZoneId zone) {
		this.offset = offset;
		this.zone = zone;
	}

	@Override
	public Instant instant() {
		return Instant.now().plus(this.offset.get());
	}

	@Override
	public ZoneId getZone() {
		return this.zone;
	}

	/**
	 * Return a view of this clock in another zone; moving either moves both.
	 * @param zone the zone
	 * @return the view
	 */
	@Override
	public Clock withZone(ZoneId zone) {
		return new TestClock(this.offset, zone);
	}

	/**
	 * Move the clock forward.
	 * @param amount how far, zero or more
	 * @throws IllegalArgumentException if the amount is negative
	 */
	public void advance(Duration amount) {
		if (amount.isNegative()) {
			throw new IllegalArgumentException("A TestClock only advances; got " + amount
					+ ". Use setInstant to put it at an earlier time.");
		}
		this.offset.updateAndGet((current) -> current.plus(amount));
	}

	/**
	 * Put the clock at an instant; it keeps running from there.
	 * @param instant the instant the clock reads now
	 */
	public void setInstant(Instant instant) {
		Instant now = Instant.now();
		this.offset.set(Duration.between(now, instant));
	}

	/**
	 * Return how far this clock is ahead of the system clock (negative if behind).
	 * @return the offset
	 */
	public Duration offset() {
		return this.offset.get();
	}

	/**
	 * Put the clock back on real time.
	 */
	public void reset() {
		this.offset.set(Duration.ZERO);
	}

	@Override
	public String toString() {
		return "TestClock[offset=" + this.offset.get() + ", zone=" + this.zone + "]";
	}

}
