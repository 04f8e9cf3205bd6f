package io.taskqueue.listener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskqueue.result.TaskResult;
import io.taskqueue.result.inmemory.InMemoryResultBackend;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.QueryTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class OutcomeStoreTests {

	private final TaskResult outcome = TaskResult.success("t-1", "task", 1, Instant.now());

	private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();

	@AfterEach
	void stopRetries() {
		this.retries.shutdownNow();
	}

	@Test
	void onlyTransientFailuresCountAsOutOfReach() {
		assertThat(OutcomeStore.isTransient(new DataAccessResourceFailureException("connection refused"))).isTrue();
		assertThat(OutcomeStore.isTransient(new QueryTimeoutException("timed out"))).isTrue();
		assertThat(OutcomeStore.isTransient(new IllegalStateException("wrapped",
				new DataAccessResourceFailureException("connection refused")))).isTrue();
		assertThat(OutcomeStore.isTransient(new InvalidDataAccessApiUsageException("ERR script"))).isFalse();
		assertThat(OutcomeStore.isTransient(new IllegalStateException("a defect"))).isFalse();
	}

	@Test
	void aFailureThatWouldRecurIsNotTriedAgain() {
		FailingBackend backend = new FailingBackend(new InvalidDataAccessApiUsageException("ERR script"));
		OutcomeStore store = new OutcomeStore(backend, Duration.ofSeconds(30), this.retries);
		assertThatExceptionOfType(InvalidDataAccessApiUsageException.class).isThrownBy(() -> store.store(this.outcome));
		assertThat(backend.attempts.get()).isOne();
	}

	@Test
	void aBackendStillOutOfReachAfterTheRetryTimeFailsTheStore() {
		FailingBackend backend = new FailingBackend(new DataAccessResourceFailureException("connection refused"));
		OutcomeStore store = new OutcomeStore(backend, Duration.ofMillis(300), this.retries);
		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(() -> store.store(this.outcome));
		assertThat(backend.attempts.get()).isBetween(2, 6);
	}

	@Test
	void anInterruptedThreadStopsTrying() {
		FailingBackend backend = new FailingBackend(new DataAccessResourceFailureException("connection refused"));
		OutcomeStore store = new OutcomeStore(backend, Duration.ofSeconds(30), this.retries);
		Thread.currentThread().interrupt();
		try {
			assertThatExceptionOfType(DataAccessResourceFailureException.class)
				.isThrownBy(() -> store.store(this.outcome));
			assertThat(backend.attempts.get()).isOne();
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void anAsynchronousStoreTriesAgainUntilTheBackendIsBack() {
		FailingBackend backend = new FailingBackend(new DataAccessResourceFailureException("connection refused"), 2);
		OutcomeStore store = new OutcomeStore(backend, Duration.ofSeconds(30), this.retries);
		CompletableFuture<?> stored = store.storeAsync(this.outcome);
		assertThat(stored).succeedsWithin(Duration.ofSeconds(10));
		assertThat(backend.attempts).hasValue(3);
		assertThat(backend.get("t-1")).isNotNull();
	}

	@Test
	void anAsynchronousStoreFailsOnceTheRetryTimeHasPassed() {
		FailingBackend backend = new FailingBackend(new DataAccessResourceFailureException("connection refused"));
		OutcomeStore store = new OutcomeStore(backend, Duration.ofMillis(300), this.retries);
		assertThat(store.storeAsync(this.outcome)).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(DataAccessResourceFailureException.class);
		assertThat(backend.attempts.get()).isBetween(2, 6);
	}

	@Test
	void anAsynchronousStoreDoesNotTryAFailureThatWouldRecurAgain() {
		FailingBackend backend = new FailingBackend(new InvalidDataAccessApiUsageException("ERR script"));
		OutcomeStore store = new OutcomeStore(backend, Duration.ofSeconds(30), this.retries);
		assertThatExceptionOfType(InvalidDataAccessApiUsageException.class)
			.isThrownBy(() -> store.storeAsync(this.outcome));
		assertThat(backend.attempts).hasValue(1);
	}

	@Test
	void anAsynchronousWriteThatFailsIsTriedAgain() {
		AtomicInteger attempts = new AtomicInteger();
		InMemoryResultBackend backend = new InMemoryResultBackend(new JsonMapper(), Duration.ofHours(1),
				Clock.systemUTC()) {

			@Override
			public CompletableFuture<@Nullable Void> storeAsync(TaskResult result) {
				if (attempts.incrementAndGet() == 1) {
					return CompletableFuture.failedFuture(new QueryTimeoutException("timed out"));
				}
				return super.storeAsync(result);
			}

		};
		OutcomeStore store = new OutcomeStore(backend, Duration.ofSeconds(30), this.retries);
		assertThat(store.storeAsync(this.outcome)).succeedsWithin(Duration.ofSeconds(10));
		assertThat(attempts).hasValue(2);
	}

	static class FailingBackend extends InMemoryResultBackend {

		final AtomicInteger attempts = new AtomicInteger();

		private final RuntimeException failure;

		private final int failures;

		FailingBackend(RuntimeException failure) {
			this(failure, Integer.MAX_VALUE);
		}

		FailingBackend(RuntimeException failure, int failures) {
			super(new JsonMapper(), Duration.ofHours(1), Clock.systemUTC());
			this.failure = failure;
			this.failures = failures;
		}

		@Override
		public void store(TaskResult result) {
			if (this.attempts.incrementAndGet() <= this.failures) {
				throw this.failure;
			}
			super.store(result);
		}

	}

}
