package io.taskqueue.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskqueue.broker.Delivery;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs a container's received deliveries on as few threads as keep up with them, so that short
 * tasks cost no thread hand-off each. Deliveries are queued a batch at a time and one runner thread
 * takes them one after the other. Another runner starts, up to the concurrency, only when the
 * oldest queued delivery has waited longer than the hand-off delay: the runners are held up by slow
 * or blocked tasks. A runner leaves when nothing is queued.
 *
 * <p>The consumer thread keeps watch: it calls {@link #check()} between polls and, while
 * deliveries are queued and fewer runners than the concurrency run, waits no longer than the
 * hand-off delay ({@link #checkWithin}). No thread is added for the watch. While the consumer
 * cannot poll (a broker outage, a slow poll) nobody watches, so queued deliveries may wait longer.
 */
final class TaskRunners {

	/** How long a delivery may wait behind running tasks before another runner starts. */
	static final Duration HAND_OFF_DELAY = Duration.ofMillis(2);

	private static final Log logger = LogFactory.getLog(TaskRunners.class);

	private final ConcurrentLinkedQueue<Queued> queued = new ConcurrentLinkedQueue<>();

	private final AtomicInteger runners = new AtomicInteger();

	private final AtomicInteger queuedCount = new AtomicInteger();

	private final int concurrency;

	private final Duration handOffDelay;

	private final long handOffNanos;

	private final Executor executor;

	private final Handler handler;

	private volatile long lastStart = System.nanoTime();

	/**
	 * Create the runners of a container.
	 * @param concurrency the most tasks that run at once
	 * @param handOffDelay how long a delivery may wait before another runner starts
	 * @param executor where runner threads come from
	 * @param handler runs a delivery
	 */
	TaskRunners(int concurrency, Duration handOffDelay, Executor executor, Handler handler) {
		this.concurrency = concurrency;
		this.handOffDelay = handOffDelay;
		this.handOffNanos = handOffDelay.toNanos();
		this.executor = executor;
		this.handler = handler;
	}

	/**
	 * Queue received deliveries, starting a runner if none is running.
	 * @param deliveries the deliveries
	 */
	void submit(List<Delivery> deliveries) {
		if (deliveries.isEmpty()) {
			return;
		}
		this.queuedCount.addAndGet(deliveries.size());
		long now = System.nanoTime();
		for (Delivery delivery : deliveries) {
			this.queued.add(new Queued(delivery, now));
		}
		if (this.runners.get() == 0) {
			start();
		}
	}

	/**
	 * Start another runner if queued deliveries wait: none runs, or the oldest has waited longer
	 * than the hand-off delay and fewer runners than the concurrency run.
	 */
	void check() {
		Queued oldest = this.queued.peek();
		if (oldest == null) {
			return;
		}
		int running = this.runners.get();
		long now = System.nanoTime();
		if (running == 0 || (running < this.concurrency && now - oldest.since() > this.handOffNanos
				&& now - this.lastStart > this.handOffNanos)) {
			start();
		}
	}

	/**
	 * How long the consumer may wait before it should {@link #check()} again.
	 * @param wait how long it means to wait
	 * @return {@code wait}, or the hand-off delay if that is shorter and another runner may be needed
	 */
	Duration checkWithin(Duration wait) {
		if (this.queued.isEmpty() || this.runners.get() >= this.concurrency) {
			return wait;
		}
		return (wait.toNanos() > this.handOffNanos) ? this.handOffDelay : wait;
	}

	/**
	 * Stop counting a runner stuck in a task that was abandoned (hard time limit, terminate), and
	 * start another if deliveries wait.
	 */
	void detached() {
		this.runners.decrementAndGet();
		if (!this.queued.isEmpty()) {
			start();
		}
	}

	/**
	 * Take a queued delivery that no runner took.
	 * @return the delivery, or {@code null} if none is queued
	 */
	@Nullable Delivery take() {
		Queued next = poll();
		return (next != null) ? next.delivery() : null;
	}

	/** @return how many deliveries are queued, not yet taken by a runner */
	int queued() {
		return this.queuedCount.get();
	}

	private @Nullable Queued poll() {
		Queued next = this.queued.poll();
		if (next != null) {
			this.queuedCount.decrementAndGet();
		}
		return next;
	}

	/** @return how many runner threads run */
	int running() {
		return this.runners.get();
	}

	private void start() {
		if (this.runners.incrementAndGet() > this.concurrency) {
			this.runners.decrementAndGet();
			return;
		}
		this.lastStart = System.nanoTime();
		try {
			this.executor.execute(this::run);
		}
		catch (RejectedExecutionException ex) {
			this.runners.decrementAndGet();
			logger.warn("Could not start a thread to run tasks: " + ex.getMessage());
		}
	}

	private void run() {
		while (true) {
			Queued next = poll();
			if (next == null) {
				this.runners.decrementAndGet();
				// A delivery queued as this runner was leaving may have seen it still counted.
				if (this.queued.isEmpty()) {
					return;
				}
				if (this.runners.incrementAndGet() > this.concurrency) {
					this.runners.decrementAndGet();
					return;
				}
				continue;
			}
			boolean stillRunner;
			try {
				stillRunner = this.handler.handle(next.delivery());
			}
			catch (Throwable ex) {
				// Not counted any longer; another runner takes what is queued.
				this.runners.decrementAndGet();
				if (!this.queued.isEmpty()) {
					start();
				}
				throw ex;
			}
			if (!stillRunner) {
				return;
			}
		}
	}

	/** Runs one delivery on a runner thread. */
	interface Handler {

		/**
		 * Run a delivery.
		 * @param delivery the delivery
		 * @return {@code false} if the task was abandoned while it ran, so that its thread no longer
		 * counts as a runner ({@link #detached()} was called) and must leave
		 */
		boolean handle(Delivery delivery);

	}

	private record Queued(Delivery delivery, long since) {

	}

}
