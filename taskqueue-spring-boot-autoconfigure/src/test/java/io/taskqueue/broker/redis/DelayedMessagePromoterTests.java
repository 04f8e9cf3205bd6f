package io.taskqueue.broker.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The wake-ups of {@link DelayedMessagePromoter}: one pending per queue, the earliest wins.
 */
class DelayedMessagePromoterTests {

	private final Clock clock = Clock.systemUTC();

	private final List<String> promoted = new CopyOnWriteArrayList<>();

	private final DelayedMessagePromoter promoter = new DelayedMessagePromoter(this.promoted::add, this.clock);

	@AfterEach
	void close() {
		this.promoter.close();
	}

	@Test
	void anEarlierWakeUpCancelsTheLaterOneOfItsQueue() {
		long now = this.clock.millis();
		this.promoter.wakeAt("q", now + 400);
		this.promoter.wakeAt("q", now + 50);
		awaitPromotionsStayingAt(1);
	}

	@Test
	void aLaterWakeUpWaitsForTheEarlierOneOfItsQueue() {
		long now = this.clock.millis();
		this.promoter.wakeAt("q", now + 50);
		this.promoter.wakeAt("q", now + 400);
		awaitPromotionsStayingAt(1);
		// Once it has fired, the next due time is scheduled again.
		this.promoter.wakeAt("q", this.clock.millis() + 10);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.promoted.size() == 2);
	}

	@Test
	void aWakeUpWhoseTimeHasComeDoesNotHoldBackTheNextOne() throws Exception {
		// The promoting thread is busy, so the wake-up of "q" is due but has not run yet; it may
		// promote nothing, and the consumer asking for the next due time must get a wake-up too.
		CountDownLatch busy = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		List<String> calls = new CopyOnWriteArrayList<>();
		DelayedMessagePromoter slow = new DelayedMessagePromoter((queue) -> {
			calls.add(queue);
			if (queue.equals("other")) {
				busy.countDown();
				awaitQuietly(release);
			}
		}, this.clock);
		try {
			slow.wakeAt("other", this.clock.millis());
			assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
			slow.wakeAt("q", this.clock.millis() - 1);
			slow.wakeAt("q", this.clock.millis() + 100);
			release.countDown();
			await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() == 3);
			assertThat(calls).containsExactly("other", "q", "q");
		}
		finally {
			release.countDown();
			slow.close();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void eachQueueHasAWakeUpOfItsOwn() {
		long now = this.clock.millis();
		this.promoter.wakeAt("a", now + 20);
		this.promoter.wakeAt("b", now + 30);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.promoted.size() == 2);
		assertThat(this.promoted).containsExactly("a", "b");
	}

	@Test
	void aClosedPromoterSchedulesNothing() {
		this.promoter.close();
		this.promoter.wakeAt("q", this.clock.millis());
		this.promoter.watch("q");
		awaitPromotionsStayingAt(0);
	}

	/** Wait until there have been {@code count} promotions and no more follow for a while. */
	private void awaitPromotionsStayingAt(int count) {
		await().atMost(Duration.ofSeconds(5)).until(() -> this.promoted.size() == count);
		await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> this.promoted.size() == count);
	}

}
