package io.taskqueue.autoconfigure;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Where taskqueue's components read the time from: a {@link Clock} bean named
 * {@value #BEAN_NAME} when the application (or taskqueue's test support) defines one, otherwise the
 * system clock in UTC. A dedicated name keeps an application's own {@code Clock} bean, which may be
 * fixed for its domain tests, from stopping the worker's leases and timeouts.
 */
public final class TaskQueueClock {

	/** The name of the optional clock bean. */
	public static final String BEAN_NAME = "taskQueueClock";

	private TaskQueueClock() {
	}

	/**
	 * Resolve the clock.
	 * @param clock the {@value #BEAN_NAME} bean, if any
	 * @return the clock to use
	 */
	public static Clock resolve(ObjectProvider<Clock> clock) {
		return clock.getIfAvailable(Clock::systemUTC);
	}

}
