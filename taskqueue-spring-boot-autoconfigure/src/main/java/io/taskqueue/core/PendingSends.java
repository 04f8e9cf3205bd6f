package io.taskqueue.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.taskqueue.broker.BrokerException;
import org.springframework.util.Assert;

/**
 * A bound on the messages that {@code sendAsync} has handed to the broker and the broker has not
 * taken yet. Without it, a broker that takes messages more slowly than they are sent (RabbitMQ
 * blocking publishers on a memory alarm, a Redis that answers late) would let them pile up in the
 * producer's heap. At the bound, a send waits for room, up to a set time, and then fails.
 */
final class PendingSends {

	private final int max;

	private final Duration wait;

	private final Semaphore room;

	/**
	 * Create the bound.
	 * @param max the most messages handed over and not yet taken
	 * @param wait how long a send waits for room at the bound before it fails ({@code 0}: not at all)
	 */
	PendingSends(int max, Duration wait) {
		Assert.isTrue(max > 0, "The most pending sends must be positive");
		Assert.isTrue(!wait.isNegative(), "The wait for a pending send must not be negative");
		this.max = max;
		this.wait = wait;
		this.room = new Semaphore(max);
	}

	/**
	 * Hand a message over once there is room, and count it until the broker has settled it.
	 * @param handOver hands the message to the broker; its future completes once the broker has it
	 * @return the broker's future, or a failed one if there was no room in time or the hand-over threw
	 */
	CompletableFuture<Void> handOver(Supplier<CompletableFuture<Void>> handOver) {
		try {
			if (!this.room.tryAcquire(this.wait.toNanos(), TimeUnit.NANOSECONDS)) {
				return CompletableFuture.failedFuture(new BrokerException(this.max + " messages sent with sendAsync"
						+ " are still waiting for the broker to take them and none was taken within " + this.wait
						+ " (taskqueue.producer.max-pending-sends, taskqueue.producer.pending-sends-wait)"));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return CompletableFuture
				.failedFuture(new BrokerException("Interrupted while waiting for room among pending sends", ex));
		}
		CompletableFuture<Void> taken;
		try {
			taken = handOver.get();
		}
		catch (RuntimeException ex) {
			this.room.release();
			return CompletableFuture.failedFuture(ex);
		}
		taken.whenComplete((ignored, failure) -> this.room.release());
		return taken;
	}

}
