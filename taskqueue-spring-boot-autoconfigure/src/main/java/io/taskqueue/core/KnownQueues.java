package io.taskqueue.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Checks the queue a send names explicitly against the queues this application knows: the default
 * queue, route targets, queues its workers consume and {@code taskqueue.producer.queues}; an
 * unknown one is handled by the {@link UnknownQueuePolicy}.
 */
public final class KnownQueues {

	private static final Log logger = LogFactory.getLog(KnownQueues.class);

	private final Set<String> configured;

	private final Supplier<Set<String>> consumed;

	private final UnknownQueuePolicy policy;

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	/** Queues found among the consumed ones, so a send does not rebuild the worker's queue set each time. */
	private final Set<String> found = ConcurrentHashMap.newKeySet();

	/**
	 * Create the check.
	 * @param configured the queues named in configuration (default queue, routes, extra queues)
	 * @param consumed the queues this process's workers consume, read at each check
	 * @param policy what to do with a send to any other queue
	 */
	public KnownQueues(Set<String> configured, Supplier<Set<String>> consumed, UnknownQueuePolicy policy) {
		this.configured = Set.copyOf(configured);
		this.consumed = consumed;
		this.policy = policy;
	}

	/**
	 * Check a queue a send names.
	 * @param queue the queue
	 * @param taskName the task being sent, for the message
	 * @throws TaskPublishException if the queue is unknown and the policy is {@code FAIL}
	 */
	public void check(String queue, String taskName) {
		if (this.policy == UnknownQueuePolicy.IGNORE || this.configured.contains(queue) || this.found.contains(queue)) {
			return;
		}
		if (this.policy == UnknownQueuePolicy.WARN && this.warned.contains(queue)) {
			// Already said; looking up the workers' queues again would only cost every later send.
			return;
		}
		if (this.consumed.get().contains(queue)) {
			this.found.add(queue);
			return;
		}
		String problem = "Task '" + taskName + "' is sent to queue '" + queue + "', which no route, worker or "
				+ "taskqueue.producer.queues entry names, so nothing may ever consume it";
		if (this.policy == UnknownQueuePolicy.FAIL) {
			throw new TaskPublishException(problem + "; add the queue to taskqueue.producer.queues if it is right "
					+ "(taskqueue.producer.unknown-queue=fail)", null);
		}
		if (this.warned.add(queue)) {
			logger.warn(problem + ". Add it to taskqueue.producer.queues if it is right; this is logged once per "
					+ "queue (taskqueue.producer.unknown-queue=warn).");
		}
	}

}
