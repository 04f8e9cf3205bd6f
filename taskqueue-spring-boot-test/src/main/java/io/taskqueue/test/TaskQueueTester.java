package io.taskqueue.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.taskqueue.beat.BeatEntry;
import io.taskqueue.beat.BeatScheduler;
import io.taskqueue.broker.QueueStats;
import io.taskqueue.protocol.CeleryMessageCodec;
import org.jspecify.annotations.Nullable;

/**
 * What a test of an application that sends tasks needs: the tasks that were sent, a way to wait
 * until the worker has nothing left to do, and a clock to skip countdowns, retry back-offs and beat
 * intervals. Inject it into a {@code @SpringBootTest}; it is there whenever taskqueue runs on the
 * in-memory broker with {@code taskqueue-spring-boot-test} on the classpath.
 *
 * <pre class="code">
 * mvc.post().uri("/signup").param("email", "ada@example.com").exchange();
 * tester.awaitIdle();
 * assertThat(tester.sent("emails.send_welcome")).singleElement()
 *     .extracting((task) -&gt; task.arg(0, String.class)).isEqualTo("ada@example.com");
 * </pre>
 */
public class TaskQueueTester {

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private final TestTaskBroker broker;

	private final CeleryMessageCodec codec;

	private final TestClock clock;

	private final @Nullable BeatScheduler beat;

	/**
	 * Create a tester.
	 * @param broker the broker tasks are sent through
	 * @param codec decodes what was sent
	 * @param clock the taskqueue clock
	 * @param beat the beat scheduler, if beat is enabled
	 */
	public TaskQueueTester(TestTaskBroker broker, CeleryMessageCodec codec, TestClock clock,
			@Nullable BeatScheduler beat) {
		this.broker = broker;
		this.codec = codec;
		this.clock = clock;
		this.beat = beat;
	}

	/**
	 * Return every task message sent since the start or the last {@link #reset()}, oldest first.
	 * Retries and workflow steps are sends too and appear here.
	 * @return the sent tasks
	 */
	public List<SentTask> sent() {
		return this.broker.published()
			.stream()
			.map((published) -> new SentTask(published.message().queue(),
					this.codec.decode(published.message().message()), published.at(), this.codec.mapper()))
			.toList();
	}

	/**
	 * Return the sent task messages with a given task name, oldest first.
	 * @param taskName the task name
	 * @return the sent tasks of that name
	 */
	public List<SentTask> sent(String taskName) {
		return sent().stream().filter((task) -> task.name().equals(taskName)).toList();
	}

	/**
	 * Wait up to ten seconds until no task is waiting to run or running; see
	 * {@link #awaitIdle(Duration)}.
	 * @throws AssertionError if work is still left after ten seconds
	 */
	public void awaitIdle() {
		awaitIdle(DEFAULT_TIMEOUT);
	}

	/**
	 * Wait until no task is waiting to run or running. Tasks with a countdown or eta that is not
	 * due yet do not count: move the clock with {@link #advanceClock} to make them due.
	 * @param timeout how long to wait
	 * @throws AssertionError if work is still left when the time is up; the message lists each
	 * queue's counts
	 */
	public void awaitIdle(Duration timeout) {
		try {
			if (!this.broker.awaitIdle(timeout)) {
				throw new AssertionError("taskqueue still had work after " + timeout + ": " + queueCounts());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for taskqueue to become idle", ex);
		}
	}

	/**
	 * Move the taskqueue clock forward, then deliver what became due: delayed tasks (countdowns,
	 * etas, retry back-offs) and beat ticks. The clock stops at every beat tick on the way, so each
	 * tick fires on time as it would have in real time. In eager mode the due tasks have run when
	 * this returns; otherwise the worker picks them up at once, and {@link #awaitIdle()} waits for
	 * them.
	 * @param amount how far to move the clock
	 */
	public void advanceClock(Duration amount) {
		Instant target = this.clock.instant().plus(amount);
		// Beat starts counting at its first tick; make sure it has had one before time moves.
		fireBeat();
		Instant tick = nextBeatTick();
		while (tick != null && !tick.isAfter(target)) {
			moveClockTo(tick);
			fireBeat();
			this.broker.runDue();
			tick = nextBeatTick();
		}
		moveClockTo(target);
		fireBeat();
		this.broker.runDue();
	}

	private void moveClockTo(Instant instant) {
		Duration ahead = Duration.between(this.clock.instant(), instant);
		if (!ahead.isNegative()) {
			this.clock.advance(ahead);
		}
	}

	private void fireBeat() {
		if (this.beat != null) {
			this.beat.tick();
		}
	}

	private @Nullable Instant nextBeatTick() {
		if (this.beat == null) {
			return null;
		}
		Instant now = this.clock.instant();
		Instant earliest = null;
		for (BeatEntry entry : this.beat.getEntries()) {
			Instant next = entry.schedule().next(now);
			if (next != null && (earliest == null || next.isBefore(earliest))) {
				earliest = next;
			}
		}
		return earliest;
	}

	/**
	 * Return the taskqueue clock.
	 * @return the clock
	 */
	public TestClock clock() {
		return this.clock;
	}

	/**
	 * Return whether tasks run in the thread that sends them ({@code taskqueue.test.eager}).
	 * @return {@code true} in eager mode
	 */
	public boolean isEager() {
		return this.broker.isEager();
	}

	/**
	 * Start over between tests: drop every queued message, forget what was sent and put the clock
	 * back on real time. Results already stored are kept (their ids are unique).
	 */
	public void reset() {
		this.broker.queueNames().forEach(this.broker::purge);
		this.broker.clearPublished();
		this.clock.reset();
	}

	private Map<String, QueueStats> queueCounts() {
		Map<String, QueueStats> counts = new TreeMap<>();
		this.broker.queueNames().forEach((queue) -> counts.put(queue, this.broker.stats(queue)));
		return counts;
	}

}
