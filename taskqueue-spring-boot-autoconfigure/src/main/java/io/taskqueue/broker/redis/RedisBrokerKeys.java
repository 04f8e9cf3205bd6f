package io.taskqueue.broker.redis;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The Redis keys of the broker, laid out as kombu's Redis transport lays them out: one list per
 * priority step ({@code celery}, {@code celery\x06\x163}, ...), the {@code unacked} hash and
 * {@code unacked_index} sorted set, {@code _kombu.binding.<queue>} sets; plus taskqueue's own
 * delayed-message sorted set, delivery counters and dead-letter list, under {@code _taskqueue.}.
 * Every key carries the optional global prefix (kombu's {@code global_keyprefix}).
 */
final class RedisBrokerKeys {

	static final String SEPARATOR = "\u0006\u0016";

	/** kombu's default priority steps: priority p goes to the largest step <= p; lower steps are served first. */
	private static final int[] STEPS = { 0, 3, 6, 9 };

	private final String prefix;

	RedisBrokerKeys(String prefix) {
		this.prefix = prefix;
	}

	String prefix() {
		return this.prefix;
	}

	/** The priority lists of a queue in the order they are served. */
	List<String> lists(String queue) {
		List<String> lists = new ArrayList<>(STEPS.length);
		for (int step : STEPS) {
			lists.add(list(queue, step));
		}
		return lists;
	}

	/** The index, in {@link #lists(String)}, of the list a message of this priority goes to. */
	static int stepIndex(@Nullable Integer priority) {
		int value = (priority != null) ? Math.max(0, priority) : 0;
		int index = 0;
		for (int i = 0; i < STEPS.length; i++) {
			if (STEPS[i] <= value) {
				index = i;
			}
		}
		return index;
	}

	String list(String queue, int step) {
		return (step == 0) ? this.prefix + queue : this.prefix + queue + SEPARATOR + step;
	}

	String unacked() {
		return this.prefix + "unacked";
	}

	String unackedIndex() {
		return this.prefix + "unacked_index";
	}

	String binding(String exchange) {
		return this.prefix + "_kombu.binding." + exchange;
	}

	static String bindingMember(String queue) {
		return queue + SEPARATOR + SEPARATOR + queue;
	}

	String delayed(String queue) {
		return this.prefix + "_taskqueue.delayed." + queue;
	}

	/** The set of queues taskqueue producers delayed messages for (their delayed sets may be gone). */
	String delayedQueues() {
		return this.prefix + "_taskqueue.delayed-queues";
	}

	/** Set once the keyspace was searched for delayed sets made before {@link #delayedQueues()} existed. */
	String delayedQueuesScanned() {
		return this.prefix + "_taskqueue.delayed-queues-scanned";
	}

	String deliveries() {
		return this.prefix + "_taskqueue.deliveries";
	}

	String deadLetters(String queue) {
		return this.prefix + "_taskqueue.dead." + queue;
	}

}
