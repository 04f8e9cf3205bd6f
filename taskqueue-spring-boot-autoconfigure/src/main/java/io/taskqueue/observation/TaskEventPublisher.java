package io.taskqueue.observation;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Fans {@link TaskEvent}s out to every registered listener, isolating the caller from their failures.
 */
public final class TaskEventPublisher {

	private static final Log logger = LogFactory.getLog(TaskEventPublisher.class);

	private final List<TaskEventListener> listeners;

	/**
	 * Create a publisher.
	 * @param listeners the listeners, in order
	 */
	public TaskEventPublisher(List<TaskEventListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * Deliver an event to every listener.
	 * @param event the event
	 */
	public void publish(TaskEvent event) {
		for (TaskEventListener listener : this.listeners) {
			try {
				listener.onEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Task event listener " + listener + " failed on " + event, ex);
			}
		}
	}

}
