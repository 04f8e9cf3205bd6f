package io.taskqueue.beat;

/**
 * What beat does with ticks missed while no instance ran it for longer than the misfire grace.
 */
public enum MisfirePolicy {

	/** Drop missed ticks; fire from the next one on. */
	SKIP,

	/** Fire once for all missed ticks (the latest), then go on. */
	FIRE_ONCE,

	/** Fire every missed tick, up to the misfire limit. */
	FIRE_ALL

}
