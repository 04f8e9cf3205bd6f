package io.taskqueue.listener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.taskqueue.broker.Delivery;
import io.taskqueue.broker.TaskBroker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Consumes one queue: a single consumer thread takes messages only when a slot is free (up to
 * concurrency x prefetch-multiplier) and hands them to the {@link TaskRunners}, which run up to
 * concurrency tasks at once; a slot is released when its message is settled, which for a task
 * whose outcome is still being stored is after the task returned. Broker outages are retried with
 * back-off; the container never stops by itself.
 */
public class TaskQueueContainer {

	private static final Log logger = LogFactory.getLog(TaskQueueContainer.class);

	private final String queue;

	private final TaskBroker broker;

	private final TaskMessageProcessor processor;

	private final int slotCount;

	private final Duration pollTimeout;

	private final BackOff backOff;

	private final Executor executor;

	private final Clock clock;

	private final Semaphore slots;

	private final TaskRunners runners;

	// Keyed by identity: a Delivery record's own hashCode would hash the whole message.
	private final Map<InFlight, Delivery> inFlight = new ConcurrentHashMap<>();

	private volatile boolean running;

	private volatile boolean paused;

	private final Object pauseMonitor = new Object();

	private volatile @Nullable Thread consumer;

	private volatile @Nullable Instant lastPoll;

	private volatile @Nullable String lastError;

	private volatile Instant lastActivity;

	TaskQueueContainer(String queue, TaskBroker broker, TaskMessageProcessor processor, int concurrency,
			int slotCount, Duration pollTimeout, BackOff backOff, Executor executor, Clock clock) {
		this.queue = queue;
		this.broker = broker;
		this.processor = processor;
		this.slotCount = slotCount;
		this.pollTimeout = pollTimeout;
		this.backOff = backOff;
		this.executor = executor;
		this.clock = clock;
		this.slots = new Semaphore(slotCount);
		this.runners = new TaskRunners(concurrency, TaskRunners.HAND_OFF_DELAY, executor, this::handle);
		this.lastActivity = clock.instant();
	}

	/**
	 * Start consuming.
	 */
	public synchronized void start() {
		if (this.running) {
			return;
		}
		Thread previous = this.consumer;
		if (previous != null && previous.isAlive()) {
			throw new IllegalStateException("Queue '" + this.queue + "': the previous consumer is still stopping");
		}
		this.running = true;
		this.lastActivity = this.clock.instant();
		Thread thread = new Thread(this::consume, "taskqueue-consumer-" + this.queue);
		thread.setDaemon(true);
		this.consumer = thread;
		thread.start();
	}

	/**
	 * Stop taking messages: the consumer finishes its current poll (at most the poll timeout), and
	 * messages received but not yet started are given back. Running tasks are not interrupted.
	 */
	public void initiateStop() {
		this.running = false;
		synchronized (this.pauseMonitor) {
			this.pauseMonitor.notifyAll();
		}
	}

	/**
	 * Wait, until the deadline, for the consumer to end and the running tasks to be settled. Tasks
	 * still running then are left to finish on their own (daemon) threads; with acks-late their
	 * messages stay unacknowledged and are redelivered if the process exits first.
	 * @param deadline when to stop waiting
	 * @return {@code true} if every running task finished in time
	 */
	public boolean awaitStop(Instant deadline) {
		Thread thread = this.consumer;
		if (thread != null) {
			joinQuietly(thread, remaining(deadline).plus(this.pollTimeout));
		}
		boolean finished = awaitRunningTasks(remaining(deadline));
		if (!finished) {
			logger.warn("Queue '" + this.queue + "': " + this.inFlight.size() + " task(s) still running at shutdown;"
					+ " not interrupted, and messages of acks-late tasks stay unacknowledged for redelivery");
		}
		if (this.executor instanceof ExecutorService executorService) {
			executorService.shutdown();
		}
		return finished;
	}

	/**
	 * Stop taking messages and wait up to {@code timeout} for the running ones to be settled.
	 * @param timeout how long to wait for running tasks
	 * @return {@code true} if every running task finished in time
	 */
	public boolean stop(Duration timeout) {
		initiateStop();
		return awaitStop(Instant.now().plus(timeout));
	}

	private static Duration remaining(Instant deadline) {
		Duration left = Duration.between(Instant.now(), deadline);
		return left.isNegative() ? Duration.ZERO : left;
	}

	private boolean awaitRunningTasks(Duration timeout) {
		try {
			if (this.slots.tryAcquire(this.slotCount, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
				this.slots.release(this.slotCount);
				return true;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return false;
	}

	private void consume() {
		BackOffExecution retry = null;
		boolean declared = false;
		while (this.running) {
			int taken = 0;
			int free = 0;
			try {
				if (!declared) {
					this.broker.declareQueue(this.queue);
					declared = true;
				}
				this.runners.check();
				Duration wait = this.runners.checkWithin(this.pollTimeout);
				if (this.paused) {
					waitWhilePaused(wait);
					continue;
				}
				if (!this.slots.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
					this.lastActivity = this.clock.instant();
					renewLeases();
					continue;
				}
				this.lastActivity = this.clock.instant();
				free = 1 + this.slots.drainPermits();
				List<Delivery> deliveries = this.broker.poll(this.queue, free, wait);
				this.lastPoll = this.clock.instant();
				this.lastActivity = this.lastPoll;
				recovered(retry);
				retry = null;
				if (this.paused) {
					// Paused while this poll was waiting: hand back what it took.
					deliveries.forEach((delivery) -> this.broker.reject(delivery, true));
					continue;
				}
				taken = deliveries.size();
				this.slots.release(free - taken);
				free = 0;
				dispatch(deliveries);
				renewLeases();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			catch (RuntimeException ex) {
				retry = (retry != null) ? retry : this.backOff.start();
				pause(ex, retry);
			}
			finally {
				if (free > 0) {
					this.slots.release(free);
				}
			}
		}
		giveBackQueued();
	}

	/**
	 * Stop taking new messages from the queue; running tasks finish and their leases are kept.
	 */
	public void pause() {
		this.paused = true;
	}

	/**
	 * Take messages from the queue again after {@link #pause()}.
	 */
	public void resume() {
		synchronized (this.pauseMonitor) {
			this.paused = false;
			this.pauseMonitor.notifyAll();
		}
	}

	/**
	 * Return whether the container is paused.
	 * @return {@code true} between {@link #pause()} and {@link #resume()}
	 */
	public boolean isPaused() {
		return this.paused;
	}

	private void waitWhilePaused(Duration wait) throws InterruptedException {
		synchronized (this.pauseMonitor) {
			if (this.paused && this.running) {
				TimeUnit.NANOSECONDS.timedWait(this.pauseMonitor, wait.toNanos());
			}
		}
		this.lastActivity = this.clock.instant();
		renewLeases();
	}

	private void renewLeases() {
		if (this.inFlight.isEmpty() || !this.broker.capabilities().leases()) {
			return;
		}
		try {
			this.broker.renewLeases(List.copyOf(this.inFlight.values()));
		}
		catch (RuntimeException ex) {
			logger.warn("Queue '" + this.queue + "': could not renew leases of running tasks: " + ex.getMessage());
		}
	}

	private void dispatch(List<Delivery> deliveries) {
		for (Delivery delivery : deliveries) {
			this.inFlight.put(new InFlight(delivery), delivery);
		}
		this.runners.submit(deliveries);
	}

	/**
	 * Run a delivery on a runner thread; once the container is stopping, give it back instead.
	 * @return {@code false} if the task was abandoned while it ran (see {@link TaskRunners.Handler})
	 */
	private boolean handle(Delivery delivery) {
		Slot slot = new Slot(delivery);
		if (!this.running) {
			settleQuietly(delivery);
			slot.returned();
			slot.run();
			return true;
		}
		CompletionStage<?> settled;
		try {
			settled = this.processor.process(delivery, slot);
		}
		catch (Throwable ex) {
			logger.error("Queue '" + this.queue + "': processing failed, message returned to the broker", ex);
			settleQuietly(delivery);
			settled = TaskRunner.Outcome.NOW;
		}
		boolean stillRunner = slot.returned();
		settled.whenComplete((ignored, failure) -> {
			if (failure == null) {
				slot.run();
			}
			else {
				notStored(delivery, failure, slot);
			}
		});
		return stillRunner;
	}

	/**
	 * A task ran but its outcome could not be stored: give its message back, so that it runs again,
	 * from a thread of the container's (this is called on the thread that failed the write).
	 */
	private void notStored(Delivery delivery, Throwable failure, Slot slot) {
		Runnable giveBack = () -> {
			logger.error("Queue '" + this.queue + "': the outcome of a task could not be stored, message returned"
					+ " to the broker", failure);
			settleQuietly(delivery);
			slot.run();
		};
		try {
			this.executor.execute(giveBack);
		}
		catch (RejectedExecutionException ex) {
			giveBack.run();
		}
	}

	/**
	 * Give back what no runner took before the consumer ended.
	 */
	private void giveBackQueued() {
		Delivery delivery;
		while ((delivery = this.runners.take()) != null) {
			settleQuietly(delivery);
			this.inFlight.remove(new InFlight(delivery));
			this.slots.release();
		}
	}

	private void settleQuietly(Delivery delivery) {
		try {
			this.broker.reject(delivery, true);
		}
		catch (RuntimeException ex) {
			logger.warn("Queue '" + this.queue + "': could not return a message to the broker: " + ex.getMessage());
		}
	}

	private void pause(RuntimeException ex, BackOffExecution retry) {
		String error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
		if (this.lastError == null) {
			logger.warn("Queue '" + this.queue + "': cannot consume, retrying: " + error);
		}
		this.lastError = error;
		long delay = retry.nextBackOff();
		LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos((delay != BackOffExecution.STOP) ? delay : 5000));
	}

	private void recovered(@Nullable BackOffExecution retry) {
		if (retry != null || this.lastError != null) {
			logger.info("Queue '" + this.queue + "': consuming again");
			this.lastError = null;
		}
	}

	private static void joinQuietly(Thread thread, Duration timeout) {
		try {
			thread.join(timeout.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** @return the queue this container consumes */
	public String getQueue() {
		return this.queue;
	}

	/** @return whether the container is started */
	public boolean isRunning() {
		return this.running;
	}

	/** @return when the broker last answered a poll, {@code null} if never */
	public @Nullable Instant getLastPoll() {
		return this.lastPoll;
	}

	/** @return the error that currently stops consumption, {@code null} when consuming */
	public @Nullable String getLastError() {
		return this.lastError;
	}

	/**
	 * Whether the consumer is stalled: running, with a free slot, yet it has neither polled the broker
	 * nor waited for a slot within {@code maxSilence} (Celery's "alive but not consuming").
	 * @param maxSilence the longest acceptable silence
	 * @return {@code true} if stalled
	 */
	public boolean isStalled(Duration maxSilence) {
		return this.running && this.slots.availablePermits() > 0
				&& this.lastActivity.plus(maxSilence).isBefore(this.clock.instant());
	}

	/** @return how many tasks are running, or have returned and wait for their outcome to be stored */
	public int getActiveCount() {
		return Math.max(0, this.inFlight.size() - this.runners.queued());
	}

	/** @return how many messages this container may hold at once */
	public int getSlotCount() {
		return this.slotCount;
	}

	/** @return the longest a healthy consumer goes between two polls */
	public Duration getPollTimeout() {
		return this.pollTimeout;
	}

	/**
	 * The slot of one delivery: released once, when its message is settled, or early when the task
	 * is abandoned while it runs (hard time limit, terminate), which also stops its runner thread
	 * counting towards the concurrency.
	 */
	private final class Slot implements Runnable {

		private static final int RUNNING = 0;

		private static final int RETURNED = 1;

		private static final int DETACHED = 2;

		private final Delivery delivery;

		private final AtomicBoolean released = new AtomicBoolean();

		private final AtomicInteger state = new AtomicInteger(RUNNING);

		Slot(Delivery delivery) {
			this.delivery = delivery;
		}

		@Override
		public void run() {
			if (this.released.compareAndSet(false, true)) {
				TaskQueueContainer.this.inFlight.remove(new InFlight(this.delivery));
				TaskQueueContainer.this.slots.release();
				if (this.state.compareAndSet(RUNNING, DETACHED)) {
					TaskQueueContainer.this.runners.detached();
				}
			}
		}

		/**
		 * The task returned to its runner.
		 * @return {@code false} if it was abandoned first
		 */
		boolean returned() {
			return this.state.compareAndSet(RUNNING, RETURNED);
		}

	}

	private record InFlight(Delivery delivery) {

		@Override
		public boolean equals(Object other) {
			return other instanceof InFlight that && that.delivery == this.delivery;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this.delivery);
		}

	}

}
