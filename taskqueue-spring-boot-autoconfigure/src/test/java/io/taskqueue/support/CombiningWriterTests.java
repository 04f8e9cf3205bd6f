package io.taskqueue.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class CombiningWriterTests {

	private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();

	private final List<Thread> writers = new CopyOnWriteArrayList<>();

	private final CountDownLatch firstBatchMayEnd = new CountDownLatch(1);

	private final ExecutorService callers = Executors.newCachedThreadPool();

	private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor();

	@AfterEach
	void stopCallers() {
		this.firstBatchMayEnd.countDown();
		this.callers.shutdownNow();
		this.flusher.shutdownNow();
	}

	/**
	 * A writer recording its batches, with a running flusher and no-op reporting of later failures.
	 */
	private CombiningWriter<Integer, String> writerWithFlusher() {
		return new CombiningWriter<>(this::recordAndAnswer, 10, this.flusher, (ex) -> {
		});
	}

	/**
	 * A writer recording its batches whose flusher no longer runs, so items submitted for later stay
	 * queued until a caller writes them.
	 */
	private CombiningWriter<Integer, String> writerWithStoppedFlusher(int maxBatch,
			Consumer<RuntimeException> laterFailures) {
		ScheduledExecutorService stopped = Executors.newSingleThreadScheduledExecutor();
		stopped.shutdown();
		return new CombiningWriter<>(this::recordAndAnswer, maxBatch, stopped, laterFailures);
	}

	private List<String> recordAndAnswer(List<Integer> items) {
		this.batches.add(List.copyOf(items));
		this.writers.add(Thread.currentThread());
		if (this.batches.size() == 1) {
			try {
				this.firstBatchMayEnd.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return items.stream().map((item) -> "answer-" + item).toList();
	}

	@Test
	void aLoneCallerWritesAtOnceInItsOwnThread() {
		this.firstBatchMayEnd.countDown();
		CombiningWriter<Integer, String> writer = new CombiningWriter<>(this::recordAndAnswer, 10);
		assertThat(writer.submit(1)).isEqualTo("answer-1");
		assertThat(writer.submit(2)).isEqualTo("answer-2");
		assertThat(this.batches).containsExactly(List.of(1), List.of(2));
		assertThat(this.writers).containsOnly(Thread.currentThread());
	}

	@Test
	void aLoneCallerIsLeftNoParkingPermit() {
		this.firstBatchMayEnd.countDown();
		CombiningWriter<Integer, String> writer = new CombiningWriter<>(this::recordAndAnswer, 10);
		LockSupport.parkNanos(1); // takes a permit this thread may hold from before the test
		writer.submit(1);
		// A permit left to this thread would end the next park at once (a caller's pacing loop broke so).
		long start = System.nanoTime();
		LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(100));
	}

	@Test
	void drainWritesWhatWasSubmittedForLaterWhenTheFlusherNoLongerRuns() {
		this.firstBatchMayEnd.countDown();
		CombiningWriter<Integer, String> writer = writerWithStoppedFlusher(2, (ex) -> {
		});
		writer.submitLater(1);
		writer.submitLater(2);
		writer.submitLater(3);
		assertThat(this.batches).isEmpty();
		writer.drain();
		assertThat(this.batches).containsExactly(List.of(1, 2), List.of(3));
		assertThat(this.writers).containsOnly(Thread.currentThread());
	}

	@Test
	void drainWaitsForTheWriteInProgressAndThenWritesWhatQueuedBehindIt() throws Exception {
		CombiningWriter<Integer, String> writer = writerWithStoppedFlusher(10, (ex) -> {
		});
		CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> writer.submit(1), this.callers);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.batches.size() == 1);
		writer.submitLater(2);
		CompletableFuture<Void> drained = CompletableFuture.runAsync(writer::drain, this.callers);
		assertThat(drained).isNotDone();
		this.firstBatchMayEnd.countDown();
		drained.get(5, TimeUnit.SECONDS);
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("answer-1");
		assertThat(this.batches).containsExactly(List.of(1), List.of(2));
	}

	@Test
	void drainReturnsOnlyOnceTheWriteInProgressHasEndedEvenWithNothingQueued() throws Exception {
		CombiningWriter<Integer, String> writer = new CombiningWriter<>(this::recordAndAnswer, 10);
		CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> writer.submit(1), this.callers);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.batches.size() == 1);
		CountDownLatch draining = new CountDownLatch(1);
		CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> {
			draining.countDown();
			writer.drain();
		}, this.callers);
		draining.await(5, TimeUnit.SECONDS);
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !drained.isDone());
		this.firstBatchMayEnd.countDown();
		drained.get(5, TimeUnit.SECONDS);
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("answer-1");
	}

	@Test
	void anItemSubmittedForLaterGoesOutSoonAndAheadOfTheSameThreadsNextItem() {
		this.firstBatchMayEnd.countDown();
		CombiningWriter<Integer, String> writer = writerWithFlusher();
		writer.submitLater(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.batches.contains(List.of(1)));
		writer.submitLater(2);
		assertThat(writer.submit(3)).isEqualTo("answer-3");
		List<Integer> order = this.batches.stream().flatMap(List::stream).toList();
		assertThat(order).containsSubsequence(1, 2, 3);
	}

	@Test
	void aFailedWriteOfItemsSubmittedForLaterIsReported() {
		List<RuntimeException> reported = new CopyOnWriteArrayList<>();
		CombiningWriter<Integer, String> writer = new CombiningWriter<>((items) -> {
			throw new IllegalStateException("redis down");
		}, 10, this.flusher, reported::add);
		writer.submitLater(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> !reported.isEmpty());
		assertThat(reported.get(0)).hasMessageContaining("redis down");
	}

	@Test
	void anAsynchronousItemWithNoWriteInProgressIsWrittenAtOnceByItsCaller() {
		this.firstBatchMayEnd.countDown();
		CombiningWriter<Integer, String> writer = writerWithFlusher();
		CompletableFuture<String> written = writer.submitAsync(1);
		assertThat(written).isCompletedWithValue("answer-1");
		assertThat(this.writers).containsExactly(Thread.currentThread());
	}

	@Test
	void anAsynchronousItemQueuedBehindAWriteIsWrittenAsSoonAsThatWriteEndsWithoutItsCallerWaiting()
			throws Exception {
		CombiningWriter<Integer, String> writer = writerWithFlusher();
		CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> writer.submit(1), this.callers);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.batches.size() == 1);
		CompletableFuture<String> second = writer.submitAsync(2);
		CompletableFuture<String> third = writer.submitAsync(3);
		assertThat(second).isNotDone();
		this.firstBatchMayEnd.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("answer-1");
		assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("answer-2");
		assertThat(third.get(5, TimeUnit.SECONDS)).isEqualTo("answer-3");
		assertThat(this.batches).containsExactly(List.of(1), List.of(2, 3));
		assertThat(this.writers.get(1)).isNotSameAs(Thread.currentThread());
	}

	@Test
	void anItemHandedOverIsWrittenByTheFlusherNotByItsCaller() throws Exception {
		this.firstBatchMayEnd.countDown();
		CombiningWriter<Integer, String> writer = writerWithFlusher();
		assertThat(writer.handOver(1).get(5, TimeUnit.SECONDS)).isEqualTo("answer-1");
		assertThat(this.writers).singleElement().isNotSameAs(Thread.currentThread());
	}

	@Test
	void itemsHandedOverDuringAWriteReturnAtOnceAndShareTheNextBatch() throws Exception {
		CombiningWriter<Integer, String> writer = writerWithFlusher();
		CompletableFuture<String> first = writer.handOver(0);
		await().until(() -> this.batches.size() == 1);
		List<CompletableFuture<String>> queued = List.of(writer.handOver(1), writer.handOver(2), writer.handOver(3));
		assertThat(queued).noneMatch(CompletableFuture::isDone);
		this.firstBatchMayEnd.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("answer-0");
		for (int i = 1; i <= 3; i++) {
			assertThat(queued.get(i - 1).get(5, TimeUnit.SECONDS)).isEqualTo("answer-" + i);
		}
		assertThat(this.batches).containsExactly(List.of(0), List.of(1, 2, 3));
	}

	@Test
	void handingOverNeedsAFlusher() {
		CombiningWriter<Integer, String> writer = new CombiningWriter<>(this::recordAndAnswer, 10);
		assertThatIllegalStateException().isThrownBy(() -> writer.handOver(1));
	}

	@Test
	void aFailedAsynchronousWriteFailsItsFutureAndIsNotReportedAsALaterFailure() {
		List<RuntimeException> reported = new CopyOnWriteArrayList<>();
		CombiningWriter<Integer, String> writer = new CombiningWriter<>((items) -> {
			throw new IllegalStateException("redis down");
		}, 10, this.flusher, reported::add);
		assertThat(writer.submitAsync(1)).isCompletedExceptionally()
			.failsWithin(Duration.ZERO)
			.withThrowableThat()
			.withMessageContaining("redis down");
		assertThat(reported).isEmpty();
	}

	@Test
	void queuedItemsGoOutAlongWithTheCallersRoundTripAndGetTheGivenAnswer() throws Exception {
		this.firstBatchMayEnd.countDown();
		CombiningWriter<Integer, String> writer = writerWithStoppedFlusher(10, (ex) -> {
		});
		writer.submitLater(1);
		writer.submitLater(2);
		List<Integer> carried = new ArrayList<>();
		String trip = writer.writeAlong((items) -> {
			carried.addAll(items);
			return "consumed";
		}, "acknowledged");
		assertThat(trip).isEqualTo("consumed");
		assertThat(carried).containsExactly(1, 2);
		assertThat(this.batches).isEmpty();
		assertThat(writer.<Integer>writeAlong(List::size, "acknowledged")).isZero();
	}

	@Test
	void aFailedRoundTripFailsTheItemsItCarriedAndReportsThoseSubmittedForLater() {
		List<RuntimeException> reported = new CopyOnWriteArrayList<>();
		CombiningWriter<Integer, String> writer = writerWithStoppedFlusher(10, reported::add);
		writer.submitLater(1);
		assertThatIllegalStateException().isThrownBy(() -> writer.writeAlong((items) -> {
			throw new IllegalStateException("redis down");
		}, "acknowledged")).withMessage("redis down");
		assertThat(reported).singleElement().satisfies((ex) -> assertThat(ex).hasMessage("redis down"));
		writer.drain();
		assertThat(this.batches).isEmpty();
	}

	@Test
	void aRoundTripDuringAWriteCarriesNothingAndTheQueuedItemsStillGoOut() throws Exception {
		CombiningWriter<Integer, String> writer = writerWithFlusher();
		CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> writer.submit(1), this.callers);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.batches.size() == 1);
		writer.submitLater(2);
		assertThat(writer.<Integer>writeAlong(List::size, "acknowledged")).isZero();
		this.firstBatchMayEnd.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("answer-1");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.batches.contains(List.of(2)));
	}

	@Test
	void callersArrivingDuringAWriteShareTheNextOneAndEachGetsItsOwnAnswer() throws Exception {
		CombiningWriter<Integer, String> writer = new CombiningWriter<>(this::recordAndAnswer, 10);
		CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> writer.submit(0), this.callers);
		List<CompletableFuture<String>> queued = queueBehindFirstWrite(writer, 5);
		this.firstBatchMayEnd.countDown();
		assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("answer-0");
		for (int i = 1; i <= 5; i++) {
			assertThat(queued.get(i - 1).get(10, TimeUnit.SECONDS)).isEqualTo("answer-" + i);
		}
		assertThat(this.batches).hasSize(2);
		assertThat(this.batches.get(1)).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
	}

	@Test
	void upToMaxWritersBatchesAreWrittenAtOnceAndLaterCallersShareTheNext() throws Exception {
		CountDownLatch writesMayEnd = new CountDownLatch(1);
		CombiningWriter<Integer, String> writer = new CombiningWriter<>((items) -> {
			this.batches.add(List.copyOf(items));
			awaitLatch(writesMayEnd);
			return items.stream().map((item) -> "answer-" + item).toList();
		}, 10, 2);
		try {
			List<CompletableFuture<String>> sent = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				int item = i;
				sent.add(CompletableFuture.supplyAsync(() -> writer.submit(item), this.callers));
				await().until(() -> this.batches.size() == item + 1);
			}
			for (int i = 2; i < 5; i++) {
				int item = i;
				sent.add(CompletableFuture.supplyAsync(() -> writer.submit(item), this.callers));
			}
			awaitParked(writer, 3);
			writesMayEnd.countDown();
			for (int i = 0; i < 5; i++) {
				assertThat(sent.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("answer-" + i);
			}
			assertThat(this.batches).hasSize(3);
			assertThat(this.batches.get(2)).containsExactlyInAnyOrder(2, 3, 4);
		}
		finally {
			writesMayEnd.countDown();
		}
	}

	@Test
	void atLeastOneWriteMustBeAllowed() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CombiningWriter<>(this::recordAndAnswer, 10, 0))
			.withMessage("maxWriters must be at least 1");
	}

	@Test
	void batchesNeverExceedTheLimit() throws Exception {
		CombiningWriter<Integer, String> writer = new CombiningWriter<>(this::recordAndAnswer, 2);
		CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> writer.submit(0), this.callers);
		List<CompletableFuture<String>> queued = queueBehindFirstWrite(writer, 5);
		this.firstBatchMayEnd.countDown();
		CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		assertThat(first.get()).isEqualTo("answer-0");
		assertThat(this.batches).allSatisfy((batch) -> assertThat(batch).hasSizeLessThanOrEqualTo(2));
		assertThat(this.batches.stream().mapToInt(List::size).sum()).isEqualTo(6);
	}

	@Test
	void aFailedBatchFailsEveryCallerInItAndTheNextBatchStillRuns() throws Exception {
		List<List<Integer>> seen = new CopyOnWriteArrayList<>();
		CountDownLatch release = new CountDownLatch(1);
		CombiningWriter<Integer, String> writer = new CombiningWriter<>((items) -> {
			seen.add(List.copyOf(items));
			if (seen.size() == 1) {
				awaitLatch(release);
				return List.of("fine");
			}
			if (seen.size() == 2) {
				throw new IllegalStateException("broker down");
			}
			return items.stream().map(String::valueOf).toList();
		}, 10);
		CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> writer.submit(0), this.callers);
		await().until(() -> seen.size() == 1);
		CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> writer.submit(1), this.callers);
		CompletableFuture<String> third = CompletableFuture.supplyAsync(() -> writer.submit(2), this.callers);
		awaitParked(writer, 2);
		release.countDown();
		assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("fine");
		for (CompletableFuture<String> failed : List.of(second, third)) {
			assertThat(failed).failsWithin(Duration.ofSeconds(10))
				.withThrowableOfType(java.util.concurrent.ExecutionException.class)
				.withCauseInstanceOf(IllegalStateException.class)
				.withMessageContaining("broker down");
		}
		assertThat(writer.submit(3)).isEqualTo("3");
	}

	@Test
	void anErrorInTheBatchFunctionReachesItsWriterAndFailsTheOthersInsteadOfHangingThem() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		List<List<Integer>> seen = new CopyOnWriteArrayList<>();
		CombiningWriter<Integer, String> writer = new CombiningWriter<>((items) -> {
			seen.add(List.copyOf(items));
			if (seen.size() == 1) {
				awaitLatch(release);
				return List.of("fine");
			}
			throw new StackOverflowError("deep");
		}, 10);
		CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> writer.submit(0), this.callers);
		await().until(() -> seen.size() == 1);
		CompletableFuture<Throwable> second = new CompletableFuture<>();
		CompletableFuture<Throwable> third = new CompletableFuture<>();
		for (CompletableFuture<Throwable> outcome : List.of(second, third)) {
			this.callers.execute(() -> {
				try {
					writer.submit(1);
					outcome.complete(null);
				}
				catch (Throwable ex) {
					outcome.complete(ex);
				}
			});
		}
		awaitParked(writer, 2);
		release.countDown();
		assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("fine");
		List<Throwable> outcomes = List.of(second.get(10, TimeUnit.SECONDS), third.get(10, TimeUnit.SECONDS));
		assertThat(outcomes).filteredOn(StackOverflowError.class::isInstance).hasSize(1);
		assertThat(outcomes).filteredOn(IllegalStateException.class::isInstance)
			.singleElement()
			.satisfies((ex) -> assertThat(ex).hasCauseInstanceOf(StackOverflowError.class));
	}

	@Test
	void anInterruptedCallerStillGetsItsItemWrittenAndKeepsItsInterrupt() {
		this.firstBatchMayEnd.countDown();
		List<Boolean> interruptedWhileWriting = new CopyOnWriteArrayList<>();
		CombiningWriter<Integer, String> writer = new CombiningWriter<>((items) -> {
			interruptedWhileWriting.add(Thread.currentThread().isInterrupted());
			return recordAndAnswer(items);
		}, 10);
		Thread.currentThread().interrupt();
		try {
			assertThat(writer.submit(7)).isEqualTo("answer-7");
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
		assertThat(interruptedWhileWriting).containsExactly(false);
	}

	@Test
	void aWrongNumberOfAnswersIsAnError() {
		CombiningWriter<Integer, String> writer = new CombiningWriter<>((items) -> List.of(), 10);
		assertThatIllegalStateException().isThrownBy(() -> writer.submit(1)).withMessageContaining("0 answers for 1");
	}

	/**
	 * Once the first write is under way (and held by {@link #firstBatchMayEnd}), submit items 1 to
	 * {@code count} from other threads and wait until each of them waits for the writer.
	 */
	private List<CompletableFuture<String>> queueBehindFirstWrite(CombiningWriter<Integer, String> writer, int count) {
		await().until(() -> this.batches.size() == 1);
		List<CompletableFuture<String>> queued = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			int item = i;
			queued.add(CompletableFuture.supplyAsync(() -> writer.submit(item), this.callers));
		}
		awaitParked(writer, count);
		return queued;
	}

	/**
	 * Wait until that many callers wait in {@code submit} (parked on the writer, since a write is in
	 * progress).
	 */
	private static void awaitParked(CombiningWriter<?, ?> writer, int count) {
		await().until(() -> Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> LockSupport.getBlocker(thread) == writer)
			.count() >= count);
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
