package io.taskqueue.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.taskqueue.broker.Delivery;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.inmemory.InMemoryTaskBroker;
import io.taskqueue.listener.TaskMessageProcessor;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory broker with what tests need on top: it remembers every message published to it,
 * knows when nothing is left to do, and in eager mode runs each due task in the thread that sent
 * it (Celery's {@code task_always_eager}).
 *
 * <p>Eager mode runs a task when it is due: at once for a plain send, and when the clock reaches it
 * for a countdown, an eta or a retry back-off. {@link TaskQueueTester#advanceClock} moves the clock
 * and runs what became due. Tasks a task sends run inside it, as in Celery. The worker's consumers
 * are still started but are never handed anything.
 */
public class TestTaskBroker extends InMemoryTaskBroker {

	private final Clock clock;

	private final @Nullable Supplier<TaskMessageProcessor> eagerProcessor;

	private final List<Published> published = new CopyOnWriteArrayList<>();

	private final Object settled = new Object();

	private long outstanding;

	/**
	 * Create a broker.
	 * @param clock the clock due times are read from
	 * @param eagerProcessor runs tasks in the sending thread when not {@code null}
	 */
	public TestTaskBroker(Clock clock, @Nullable Supplier<TaskMessageProcessor> eagerProcessor) {
		super(clock);
		this.clock = clock;
		this.eagerProcessor = eagerProcessor;
	}

	/**
	 * Return whether tasks run in the sending thread.
	 * @return {@code true} in eager mode
	 */
	public boolean isEager() {
		return this.eagerProcessor != null;
	}

	@Override
	public void publish(OutboundMessage message) {
		changeOutstanding(1);
		super.publish(message);
		this.published.add(new Published(message, this.clock.instant()));
		if (this.eagerProcessor != null) {
			runDue();
		}
	}

	@Override
	public List<Delivery> poll(String queue, int max, Duration timeout) throws InterruptedException {
		if (this.eagerProcessor == null) {
			return super.poll(queue, max, timeout);
		}
		// Eager mode hands work to the sending thread only; a worker consumer waits out its poll.
		TimeUnit.NANOSECONDS.sleep(timeout.toNanos());
		return List.of();
	}

	@Override
	public void ack(Delivery delivery) {
		super.ack(delivery);
		changeOutstanding(-1);
	}

	@Override
	public void reject(Delivery delivery, boolean requeue) {
		super.reject(delivery, requeue);
		if (!requeue) {
			changeOutstanding(-1);
		}
	}

	@Override
	public void deadLetter(Delivery delivery, String reason) {
		super.deadLetter(delivery, reason);
		changeOutstanding(-1);
	}

	@Override
	public long purge(String queue) {
		long purged = super.purge(queue);
		changeOutstanding(-purged);
		return purged;
	}

	/**
	 * In eager mode, run every task that is due now, in this thread, until none is left.
	 * @return how many deliveries were processed
	 */
	public int runDue() {
		Supplier<TaskMessageProcessor> processor = this.eagerProcessor;
		if (processor == null) {
			wakeConsumers();
			return 0;
		}
		int processed = 0;
		boolean found = true;
		while (found) {
			found = false;
			for (String queue : queueNames()) {
				for (Delivery delivery : takeReady(queue)) {
					processor.get().process(delivery, () -> {
					});
					processed++;
					found = true;
				}
			}
		}
		return processed;
	}

	private List<Delivery> takeReady(String queue) {
		try {
			return super.poll(queue, 1, Duration.ZERO);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return List.of();
		}
	}

	/**
	 * Wait until no message is ready or in flight on any queue; delayed messages that are not due
	 * yet do not count.
	 * @param timeout how long to wait
	 * @return {@code true} if the broker became idle in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean awaitIdle(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.settled) {
			while (!isIdle()) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				// Delayed messages fall due without a settlement, so look again at least every 50 ms.
				TimeUnit.NANOSECONDS.timedWait(this.settled, Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50)));
			}
			return true;
		}
	}

	private boolean isIdle() {
		long delayed = 0;
		for (String queue : queueNames()) {
			delayed += stats(queue).delayed();
		}
		return this.outstanding - delayed <= 0;
	}

	/**
	 * Return every message published since the last {@link #clearPublished()}, oldest first.
	 * @return the messages with their publication times
	 */
	public List<Published> published() {
		return new ArrayList<>(this.published);
	}

	/**
	 * Forget the messages published so far.
	 */
	public void clearPublished() {
		this.published.clear();
	}

	private void changeOutstanding(long delta) {
		synchronized (this.settled) {
			this.outstanding += delta;
			this.settled.notifyAll();
		}
	}

	/**
	 * A published message and when it was published.
	 * @param message the message
	 * @param at when, on the taskqueue clock
	 */
	public record Published(OutboundMessage message, Instant at) {
	}

}
