package io.taskqueue.beat;

import java.time.Duration;

/**
 * How beat instances coordinate.
 *
 * @param lease how long leadership lasts unless renewed (renewed every third of it)
 * @param misfireGrace ticks younger than this are always sent, also after a failover; older ones
 * follow each entry's {@link MisfirePolicy}
 * @param misfireLimit the most missed ticks {@link MisfirePolicy#FIRE_ALL} sends at once
 */
public record BeatSettings(Duration lease, Duration misfireGrace, int misfireLimit) {

	/** A 10 s lease, a one-minute grace, at most 100 missed ticks. */
	public static final BeatSettings DEFAULTS = new BeatSettings(Duration.ofSeconds(10), Duration.ofMinutes(1), 100);

}
