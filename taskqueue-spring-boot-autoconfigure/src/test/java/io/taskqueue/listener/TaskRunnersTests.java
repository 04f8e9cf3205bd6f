package io.taskqueue.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.taskqueue.broker.Delivery;
import io.taskqueue.protocol.WireMessage;
import io.taskqueue.protocol.WireProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TaskRunnersTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final CountDownLatch release = new CountDownLatch(1);

	private final Map<Integer, Thread> ranOn = new ConcurrentHashMap<>();

	private final Set<Integer> blocking = ConcurrentHashMap.newKeySet();

	private final AtomicInteger running = new AtomicInteger();

	private final AtomicInteger mostAtOnce = new AtomicInteger();

	@AfterEach
	void stop() {
		this.release.countDown();
		this.threads.shutdownNow();
	}

	@Test
	void aBatchOfShortTasksRunsOnOneThreadWithoutAHandOffEach() {
		TaskRunners runners = runners(4, Duration.ofSeconds(30));
		runners.submit(deliveries(0, 50));
		await().atMost(WAIT).until(() -> this.ranOn.size() == 50);
		assertThat(Set.copyOf(this.ranOn.values())).hasSize(1);
		await().atMost(WAIT).until(() -> runners.running() == 0);
	}

	@Test
	void deliveriesHeldUpBehindABlockedTaskGetAnotherRunner() {
		this.blocking.add(0);
		TaskRunners runners = runners(2, Duration.ofMillis(20));
		runners.submit(deliveries(0, 3));
		await().atMost(WAIT).until(() -> this.running.get() == 1);
		await().atMost(WAIT).until(() -> {
			runners.check();
			return this.ranOn.size() == 3;
		});
		assertThat(this.ranOn.get(1)).isNotSameAs(this.ranOn.get(0));
		assertThat(this.ranOn.get(2)).isSameAs(this.ranOn.get(1));
	}

	@Test
	void noMoreTasksRunAtOnceThanTheConcurrency() {
		IntStream.range(0, 5).forEach(this.blocking::add);
		TaskRunners runners = runners(2, Duration.ofMillis(1));
		runners.submit(deliveries(0, 5));
		await().atMost(WAIT).until(() -> {
			runners.check();
			return this.running.get() == 2;
		});
		await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> {
			runners.check();
			return this.running.get() == 2 && this.ranOn.size() == 2;
		});
		this.release.countDown();
		await().atMost(WAIT).until(() -> this.ranOn.size() == 5);
		assertThat(this.mostAtOnce).hasValue(2);
	}

	@Test
	void aRunnerAbandonedInItsTaskIsReplaced() {
		this.blocking.add(0);
		List<TaskRunners> self = new CopyOnWriteArrayList<>();
		TaskRunners runners = new TaskRunners(1, Duration.ofSeconds(30), this.threads, (delivery) -> {
			int index = index(delivery);
			if (index == 0) {
				// abandoned while it runs (a hard time limit): it stops counting, then stays stuck
				self.get(0).detached();
			}
			run(index);
			return index != 0;
		});
		self.add(runners);
		runners.submit(deliveries(0, 3));
		await().atMost(WAIT).until(() -> this.ranOn.size() == 3);
		assertThat(this.ranOn.get(1)).isNotSameAs(this.ranOn.get(0));
		assertThat(this.running).hasValue(1);
	}

	@Test
	void aRunnerEndedByAnErrorIsReplaced() {
		TaskRunners runners = new TaskRunners(1, Duration.ofSeconds(30), this.threads, (delivery) -> {
			if (index(delivery) == 0) {
				throw new AssertionError("a defect");
			}
			run(index(delivery));
			return true;
		});
		runners.submit(deliveries(0, 2));
		// The error ends its thread as uncaught, which Awaitility would otherwise report as the failure.
		await().dontCatchUncaughtExceptions().atMost(WAIT).until(() -> this.ranOn.containsKey(1));
		await().dontCatchUncaughtExceptions().atMost(WAIT).until(() -> runners.running() == 0);
	}

	@Test
	void aDeliveryNoRunnerTookCanBeTakenBack() {
		AtomicInteger started = new AtomicInteger();
		TaskRunners runners = new TaskRunners(1, Duration.ofSeconds(30), (task) -> {
			// an executor that no longer runs anything, as when the worker is stopping
			started.incrementAndGet();
		}, (delivery) -> true);
		runners.submit(List.of());
		assertThat(started).hasValue(0);
		List<Delivery> sent = deliveries(0, 2);
		runners.submit(sent);
		assertThat(started).hasValue(1);
		assertThat(runners.queued()).isEqualTo(2);
		assertThat(runners.take()).isSameAs(sent.get(0));
		assertThat(runners.take()).isSameAs(sent.get(1));
		assertThat(runners.take()).isNull();
		assertThat(runners.queued()).isZero();
	}

	private TaskRunners runners(int concurrency, Duration handOffDelay) {
		return new TaskRunners(concurrency, handOffDelay, this.threads, (delivery) -> {
			run(index(delivery));
			return true;
		});
	}

	private void run(int index) {
		this.mostAtOnce.accumulateAndGet(this.running.incrementAndGet(), Math::max);
		this.ranOn.put(index, Thread.currentThread());
		try {
			if (this.blocking.contains(index)) {
				this.release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.running.decrementAndGet();
		}
	}

	private static int index(Delivery delivery) {
		return (int) delivery.tag();
	}

	private static List<Delivery> deliveries(int from, int to) {
		WireMessage message = new WireMessage(Map.of(), WireProperties.json("id", "reply", null), new byte[0]);
		return IntStream.range(from, to).mapToObj((i) -> new Delivery("q", message, false, 1, i)).toList();
	}

}
