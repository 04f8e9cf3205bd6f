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
 * producer's heap. At the bound, a send waits for room, up to a set time, and then fails; while no
 * room was freed since a wait ran out, sends fail at once rather than each waiting in turn (a
 * transaction that commits many sends would otherwise hold its commit for one wait per send).
 * <p>A send made while the sends' futures complete (in a callback of one of them) never waits:
 * that thread may be the broker's publishing thread, the only one that could free room.
 */
final class PendingSends {

	private static final ThreadLocal<Boolean> COMPLETING = ThreadLocal.withInitial(() -> Boolean.FALSE);

	private final int max;

	private final Duration wait;

	private final long waitNanos;

	private final Semaphore room;

	private volatile boolean stalled;

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
		this.waitNanos = (wait.compareTo(Duration.ofDays(365)) > 0) ? Long.MAX_VALUE : wait.toNanos();
		this.room = new Semaphore(max, true);
	}

	/**
	 * Hand a message over once there is room, and count it until the broker has settled it.
	 * @param handOver hands the message to the broker; its future completes once the broker has it
	 * @return completes as the broker's future does, once the message no longer counts; fails if
	 * there was no room in time or the hand-over threw
	 */
	CompletableFuture<Void> handOver(Supplier<CompletableFuture<Void>> handOver) {
		try {
			if (!enter()) {
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
			leave();
			return CompletableFuture.failedFuture(ex);
		}
		// room is freed before anything that depends on the send runs, which may send again
		return taken.whenComplete((ignored, failure) -> leave());
	}

	/** @return how many messages were handed over and not yet settled by the broker */
	int pending() {
		return this.max - this.room.availablePermits();
	}

	/**
	 * Complete the futures of a send: sends made meanwhile, from their callbacks, do not wait.
	 * @param completion completes them
	 */
	void complete(Runnable completion) {
		boolean outer = !COMPLETING.get();
		COMPLETING.set(Boolean.TRUE);
		try {
			completion.run();
		}
		finally {
			if (outer) {
				COMPLETING.remove();
			}
		}
	}

	private boolean enter() throws InterruptedException {
		long nanos = (this.stalled || COMPLETING.get()) ? 0 : this.waitNanos;
		// timed even when it does not wait, since the untimed tryAcquire would jump the queue
		if (this.room.tryAcquire(nanos, TimeUnit.NANOSECONDS)) {
			return true;
		}
		if (nanos > 0) {
			this.stalled = true;
		}
		return false;
	}

	private void leave() {
		this.stalled = false;
		this.room.release();
	}

}
