package io.taskqueue.result.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskqueue.result.TaskResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link PendingRecords} writes, and what it answers before writing.
 */
class PendingRecordsTests {

	private final ScheduledExecutorService flusher = blockedFlusher();

	private final List<List<String>> batches = new CopyOnWriteArrayList<>();

	private final PendingRecords records = new PendingRecords(
			(batch) -> this.batches.add(batch.stream().map(TaskResult::taskId).toList()), this.flusher);

	/**
	 * A flusher whose thread is taken before anything is scheduled, so the periodic pass never runs:
	 * the tests flush themselves.
	 */
	private static ScheduledExecutorService blockedFlusher() {
		ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor();
		CountDownLatch never = new CountDownLatch(1);
		flusher.execute(() -> {
			try {
				never.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		return flusher;
	}

	@AfterEach
	void stop() {
		this.flusher.shutdownNow();
	}

	@Test
	void answersForARecordUntilItIsWrittenThenWritesItOnce() {
		this.records.add(TaskResult.pending("a", "t"));
		assertThat(this.records.get("a").status()).isEqualTo("PENDING");
		this.records.flush();
		this.records.flush();
		assertThat(this.batches).containsOnly(List.of("a"));
		assertThat(this.records.get("a")).isNull();
	}

	@Test
	void dropsTheRecordOfATaskSettledBeforeItWasWritten() {
		this.records.add(TaskResult.pending("short", "t"));
		this.records.add(TaskResult.pending("long", "t"));
		this.records.settled("short");
		assertThat(this.records.get("short")).isNull();
		this.records.flush();
		assertThat(this.batches.stream().flatMap(List::stream)).containsExactly("long");
	}

	@Test
	void aFailedWriteIsForgottenNotRetried() {
		AtomicInteger calls = new AtomicInteger();
		PendingRecords failing = new PendingRecords((batch) -> {
			calls.incrementAndGet();
			throw new IllegalStateException("Redis is down");
		}, this.flusher);
		failing.add(TaskResult.pending("a", "t"));
		failing.flush();
		failing.flush();
		assertThat(calls).hasValue(1);
		assertThat(failing.get("a")).isNull();
	}

}
