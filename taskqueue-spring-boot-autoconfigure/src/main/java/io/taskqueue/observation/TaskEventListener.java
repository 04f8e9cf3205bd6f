package io.taskqueue.observation;

/**
 * Receives the {@link TaskEvent}s of this process; register one as a bean to observe tasks.
 * Called on the producer's or worker's thread, so implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface TaskEventListener {

	/**
	 * Handle an event.
	 * @param event the event
	 */
	void onEvent(TaskEvent event);

}
