package io.taskqueue.broker.rabbit;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;

/**
 * Delays held by RabbitMQ, without plugins and without worker memory: one durable queue per delay
 * step ({@code taskqueue.delay.5000ms}) with that step as its message TTL and the default exchange as
 * its dead-letter exchange, fed by a fanout exchange of the same name. A message published there
 * with the target queue as routing key waits one step and is dead-lettered into its target queue.
 * A message that arrives before its {@code eta} is delayed again by the remaining time, so any delay
 * is reached in a few hops whatever its length; because every queue has a single TTL, no message
 * waits behind a longer one.
 */
final class RabbitDelays {

	/** Delay steps in milliseconds, from 10 ms to one day. */
	private static final long[] STEPS = { 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000,
			120_000, 300_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000 };

	static final Duration TOLERANCE = Duration.ofMillis(STEPS[0]);

	private final Set<Long> declared = ConcurrentHashMap.newKeySet();

	/**
	 * Return the step for a remaining delay: the longest step not longer than it, or {@code 0} when
	 * the message is due (closer than the smallest step).
	 */
	static long step(Duration remaining) {
		long millis = remaining.toMillis();
		long chosen = 0;
		for (long step : STEPS) {
			if (step <= millis) {
				chosen = step;
			}
		}
		return chosen;
	}

	static String name(long step) {
		return "taskqueue.delay." + step + "ms";
	}

	/** Declare the exchange and queue of a step once per broker. */
	void declare(Channel channel, long step) throws IOException {
		if (this.declared.contains(step)) {
			return;
		}
		String name = name(step);
		channel.exchangeDeclare(name, BuiltinExchangeType.FANOUT, true);
		channel.queueDeclare(name, true, false, false,
				Map.of("x-message-ttl", step, "x-dead-letter-exchange", "", "x-queue-type", "classic"));
		channel.queueBind(name, name, "");
		this.declared.add(step);
	}

	void forget() {
		this.declared.clear();
	}

}
