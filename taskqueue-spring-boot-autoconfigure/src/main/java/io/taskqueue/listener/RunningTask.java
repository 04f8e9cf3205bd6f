package io.taskqueue.listener;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * One task on its thread, watched for its time limits. Interrupts are delivered under the same lock
 * as {@link #finish()}, which clears the interrupt flag, so an interrupt never leaks to the next task
 * the pooled thread runs. Exactly one of "finished" (the task returned
 * or threw) and "abandoned" (the hard limit passed, or the task was revoked with terminate) wins; the
 * loser does nothing, so an abandoned thread can never record a late result.
 */
final class RunningTask {

	private enum State {

		RUNNING, FINISHED, ABANDONED

	}

	private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);

	private final Thread thread;

	private @Nullable ScheduledFuture<?> softLimit;

	private @Nullable ScheduledFuture<?> hardLimit;

	RunningTask(Thread thread) {
		this.thread = thread;
	}

	void watch(ScheduledExecutorService watchdog, @Nullable Duration soft, @Nullable Duration hard,
			Runnable onSoftLimit, Runnable onHardLimit) {
		if (soft != null) {
			this.softLimit = watchdog.schedule(() -> {
				synchronized (this) {
					if (this.state.get() == State.RUNNING) {
						onSoftLimit.run();
						this.thread.interrupt();
					}
				}
			}, soft.toNanos(), TimeUnit.NANOSECONDS);
		}
		if (hard != null) {
			this.hardLimit = watchdog.schedule(() -> abandon(onHardLimit), hard.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Give up on the task unless it already finished: record its outcome, then interrupt its thread.
	 * @param outcome records what became of the task and settles its message
	 * @return {@code true} if the task was abandoned by this call
	 */
	boolean abandon(Runnable outcome) {
		synchronized (this) {
			if (!this.state.compareAndSet(State.RUNNING, State.ABANDONED)) {
				return false;
			}
			this.thread.interrupt();
		}
		outcome.run();
		return true;
	}

	/**
	 * Mark the task finished on its own thread.
	 * @return {@code false} if the task was abandoned first (the outcome is already recorded)
	 */
	boolean finish() {
		cancel(this.softLimit);
		cancel(this.hardLimit);
		synchronized (this) {
			boolean won = this.state.compareAndSet(State.RUNNING, State.FINISHED);
			Thread.interrupted();
			return won;
		}
	}

	private static void cancel(@Nullable ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

}
