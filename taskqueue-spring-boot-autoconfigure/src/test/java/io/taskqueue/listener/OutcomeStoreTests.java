package io.taskqueue.listener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskqueue.result.TaskResult;
import io.taskqueue.result.inmemory.InMemoryResultBackend;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.QueryTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class OutcomeStoreTests {

	private final TaskResult outcome = TaskResult.success("t-1", "task", 1, Instant.now());

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
		OutcomeStore store = new OutcomeStore(backend, Duration.ofSeconds(30));
		assertThatExceptionOfType(InvalidDataAccessApiUsageException.class).isThrownBy(() -> store.store(this.outcome));
		assertThat(backend.attempts.get()).isOne();
	}

	@Test
	void aBackendStillOutOfReachAfterTheRetryTimeFailsTheStore() {
		FailingBackend backend = new FailingBackend(new DataAccessResourceFailureException("connection refused"));
		OutcomeStore store = new OutcomeStore(backend, Duration.ofMillis(300));
		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(() -> store.store(this.outcome));
		assertThat(backend.attempts.get()).isBetween(2, 6);
	}

	@Test
	void anInterruptedThreadStopsTrying() {
		FailingBackend backend = new FailingBackend(new DataAccessResourceFailureException("connection refused"));
		OutcomeStore store = new OutcomeStore(backend, Duration.ofSeconds(30));
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

	static class FailingBackend extends InMemoryResultBackend {

		final AtomicInteger attempts = new AtomicInteger();

		private final RuntimeException failure;

		FailingBackend(RuntimeException failure) {
			super(new JsonMapper(), Duration.ofHours(1), Clock.systemUTC());
			this.failure = failure;
		}

		@Override
		public void store(TaskResult result) {
			this.attempts.incrementAndGet();
			throw this.failure;
		}

	}

}
