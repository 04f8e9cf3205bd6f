package io.taskqueue.listener;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * One task on its thread, watched for its time limits. Exactly one of "finished" (the task returned
 * or threw) and "timed out" (the hard limit passed first) wins; the loser does nothing, so a thread
 * stuck past its hard limit can never record a late result.
 */
final class RunningTask {

	private enum State {

		RUNNING, FINISHED, TIMED_OUT

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
				if (this.state.get() == State.RUNNING) {
					onSoftLimit.run();
					this.thread.interrupt();
				}
			}, soft.toNanos(), TimeUnit.NANOSECONDS);
		}
		if (hard != null) {
			this.hardLimit = watchdog.schedule(() -> {
				if (this.state.compareAndSet(State.RUNNING, State.TIMED_OUT)) {
					onHardLimit.run();
					this.thread.interrupt();
				}
			}, hard.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Mark the task finished on its own thread.
	 * @return {@code false} if the hard limit passed first (the outcome is already recorded)
	 */
	boolean finish() {
		cancel(this.softLimit);
		cancel(this.hardLimit);
		boolean won = this.state.compareAndSet(State.RUNNING, State.FINISHED);
		Thread.interrupted();
		return won;
	}

	private static void cancel(@Nullable ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

}
