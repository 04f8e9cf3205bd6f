package io.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Where beat instances coordinate: who leads, which ticks were sent, when each entry last fired.
 */
public interface BeatStore {

	/**
	 * Become or stay the leader for the lease.
	 * @param instance this instance's id
	 * @param lease how long the leadership lasts unless renewed
	 * @return whether this instance leads
	 */
	boolean lead(String instance, Duration lease);

	/**
	 * Give up leadership if this instance holds it.
	 * @param instance this instance's id
	 */
	void resign(String instance);

	/**
	 * Claim a tick before sending it. A claim lasts {@code claimLease}; an instance that dies before
	 * {@link #markSent marking} the tick sent lets the next leader claim it again.
	 * @param entry the entry name
	 * @param tick the fire time
	 * @param instance this instance's id
	 * @param claimLease how long the claim holds
	 * @return the outcome
	 */
	Claim claim(String entry, Instant tick, String instance, Duration claimLease);

	/**
	 * Record that a claimed tick was sent.
	 * @param entry the entry name
	 * @param tick the fire time
	 * @param retention how long to remember it
	 */
	void markSent(String entry, Instant tick, Duration retention);

	/**
	 * Return the latest tick handled for an entry.
	 * @param entry the entry name
	 * @return the last run, or {@code null} if never
	 */
	@Nullable Instant lastRun(String entry);

	/**
	 * Record a handled tick; never moves the last run backwards.
	 * @param entry the entry name
	 * @param tick the fire time
	 */
	void recordRun(String entry, Instant tick);

	/**
	 * The outcome of {@link #claim}.
	 */
	enum Claim {

		/** This instance may send the tick. */
		CLAIMED,

		/** The tick was already sent. */
		SENT,

		/** Another instance holds the claim and has not sent it yet. */
		HELD

	}

}
