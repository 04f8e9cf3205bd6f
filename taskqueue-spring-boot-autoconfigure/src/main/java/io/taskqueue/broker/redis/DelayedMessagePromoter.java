package io.taskqueue.broker.redis;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Moves delayed messages to their queue when they are due, on one daemon thread started on first use.
 * Two triggers: every 250 ms for each watched queue, so that messages reach a queue that no taskqueue
 * consumer polls (Python-only workers); and once at the due time of the next message a consumer saw,
 * so that a consumer blocked on the queue wakes on the push at once. A {@code BLMOVE} timeout alone
 * would not do: Redis ends blocking calls at its next timer tick, every 100 ms at its default
 * {@code hz} of 10, however short the timeout.
 */
final class DelayedMessagePromoter {

	private static final long INTERVAL_MILLIS = 250;

	private final Consumer<String> promote;

	private final Clock clock;

	private final Set<String> watched = ConcurrentHashMap.newKeySet();

	private final Map<String, Wakeup> wakeups = new ConcurrentHashMap<>();

	private volatile @Nullable ScheduledThreadPoolExecutor executor;

	private volatile boolean periodic;

	private boolean closed;

	/**
	 * @param promote moves the due messages of the named queue to it; must not throw
	 * @param clock the clock due times are read on
	 */
	DelayedMessagePromoter(Consumer<String> promote, Clock clock) {
		this.promote = promote;
		this.clock = clock;
	}

	/** Promote the queue's due messages every 250 ms from now on. */
	void watch(String queue) {
		if (!this.watched.add(queue) || this.periodic) {
			return;
		}
		synchronized (this) {
			if (!this.periodic && !this.closed) {
				executor().scheduleWithFixedDelay(() -> this.watched.forEach(this.promote), 0, INTERVAL_MILLIS,
						TimeUnit.MILLISECONDS);
				this.periodic = true;
			}
		}
	}

	/**
	 * Promote the queue's due messages at {@code dueMillis}, unless a promotion still ahead is due no
	 * later; one due later is cancelled, so each queue has at most one pending. One whose time has
	 * come does not count: it may promote nothing (another process was first), and the consumer that
	 * asks for this one would then wait for Redis's timer.
	 */
	void wakeAt(String queue, long dueMillis) {
		try {
			this.wakeups.compute(queue, (name, pending) -> {
				if (pending != null && !pending.future().isDone() && pending.dueMillis() > this.clock.millis()) {
					if (pending.dueMillis() <= dueMillis) {
						return pending;
					}
					pending.future().cancel(false);
				}
				long delay = Math.max(0, dueMillis - this.clock.millis());
				return new Wakeup(dueMillis,
						executor().schedule(() -> wake(queue, dueMillis), delay, TimeUnit.MILLISECONDS));
			});
		}
		catch (RejectedExecutionException ex) {
			// Closed with its broker: the next broker to poll the queue promotes what is due.
		}
	}

	private void wake(String queue, long dueMillis) {
		this.wakeups.computeIfPresent(queue, (name, pending) -> (pending.dueMillis() == dueMillis) ? null : pending);
		this.promote.accept(queue);
	}

	private ScheduledThreadPoolExecutor executor() {
		ScheduledThreadPoolExecutor current = this.executor;
		if (current != null) {
			return current;
		}
		synchronized (this) {
			if (this.closed) {
				throw new RejectedExecutionException("Closed with its broker");
			}
			if (this.executor == null) {
				CustomizableThreadFactory threads = new CustomizableThreadFactory("taskqueue-delays-");
				threads.setDaemon(true);
				ScheduledThreadPoolExecutor created = new ScheduledThreadPoolExecutor(1, threads);
				created.setRemoveOnCancelPolicy(true);
				this.executor = created;
			}
			return this.executor;
		}
	}

	/** Stop promoting; a later call schedules nothing. */
	synchronized void close() {
		this.closed = true;
		ScheduledThreadPoolExecutor current = this.executor;
		if (current != null) {
			current.shutdownNow();
		}
	}

	private record Wakeup(long dueMillis, ScheduledFuture<?> future) {
	}

}
