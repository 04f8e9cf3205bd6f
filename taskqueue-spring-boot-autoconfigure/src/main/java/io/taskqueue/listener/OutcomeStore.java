package io.taskqueue.listener;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.TaskResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Stores the outcomes of tasks that have run. A result backend out of reach (a transient failure) is
 * tried again, with back-off, for about a minute before the store fails: the task has run, and a
 * failed store gives its message back to the broker, so it would run again once the backend returns.
 * Meanwhile the message stays unacknowledged, so nothing is lost if the worker dies. Any other failure
 * (a value that cannot be written, a script error) fails at once.
 */
final class OutcomeStore {

	static final Duration DEFAULT_RETRY_FOR = Duration.ofMinutes(1);

	private static final long FIRST_BACK_OFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private static final long MAX_BACK_OFF_NANOS = TimeUnit.SECONDS.toNanos(2);

	private static final Set<String> TRANSIENT = Set.of("org.springframework.dao.TransientDataAccessException",
			"org.springframework.dao.DataAccessResourceFailureException",
			"org.springframework.dao.RecoverableDataAccessException");

	private static final Log logger = LogFactory.getLog(OutcomeStore.class);

	private final ResultBackend backend;

	private final Duration retryFor;

	private final ScheduledExecutorService retries;

	/**
	 * Create a store.
	 * @param backend the result backend
	 * @param retryFor how long a backend out of reach is tried again
	 * @param retries where asynchronous stores try again: its thread makes the later attempts, which
	 * block while the backend is out of reach
	 */
	OutcomeStore(ResultBackend backend, Duration retryFor, ScheduledExecutorService retries) {
		this.backend = backend;
		this.retryFor = retryFor;
		this.retries = retries;
	}

	/**
	 * Whether a failure says the backend is out of reach for now: Spring's transient and resource
	 * failures (a lost connection, a timeout), named rather than imported because the worker also
	 * runs without Spring's data-access classes. Anything else (a script error, a defect, a value that
	 * cannot be written) would fail the same way again.
	 */
	static boolean isTransient(Throwable failure) {
		for (Throwable ex = failure; ex != null; ex = ex.getCause()) {
			for (Class<?> type = ex.getClass(); type != null; type = type.getSuperclass()) {
				if (TRANSIENT.contains(type.getName())) {
					return true;
				}
			}
			if (ex.getCause() == ex) {
				break;
			}
		}
		return false;
	}

	/**
	 * Store an outcome, trying again while the backend is out of reach.
	 * @param outcome the outcome
	 * @throws RuntimeException what the backend threw, once the time to retry has passed, the
	 * thread is interrupted, or at once for a value that cannot be written
	 */
	void store(TaskResult outcome) {
		long deadline = System.nanoTime() + this.retryFor.toNanos();
		long backOff = FIRST_BACK_OFF_NANOS;
		int attempts = 1;
		while (true) {
			try {
				this.backend.store(outcome);
				if (attempts > 1) {
					logger.info("Stored the " + outcome.status() + " of task " + outcome.taskId() + " after " + attempts
							+ " attempts");
				}
				return;
			}
			catch (RuntimeException ex) {
				if (!isTransient(ex) || Thread.currentThread().isInterrupted()
						|| System.nanoTime() + backOff - deadline > 0) {
					throw ex;
				}
				if (attempts == 1) {
					logger.warn("Could not store the " + outcome.status() + " of task " + outcome.taskId()
							+ "; trying again for up to " + this.retryFor.toSeconds() + " s rather than running the"
							+ " task again: " + ex.getMessage());
				}
				LockSupport.parkNanos(this, backOff);
				backOff = Math.min(2 * backOff, MAX_BACK_OFF_NANOS);
				attempts++;
			}
		}
	}

	/**
	 * Store an outcome without waiting, trying again (on the retry scheduler, with the same back-off)
	 * while the backend is out of reach.
	 * @param outcome the outcome
	 * @return completes once the outcome is stored, or with what the backend threw once the time to
	 * retry has passed, or at once for a failure that would recur
	 * @throws RuntimeException at once for a value that cannot be written
	 */
	CompletableFuture<@Nullable Void> storeAsync(TaskResult outcome) {
		CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
		CompletableFuture<@Nullable Void> first;
		try {
			first = this.backend.storeAsync(outcome);
		}
		catch (RuntimeException ex) {
			if (!isTransient(ex)) {
				throw ex;
			}
			first = CompletableFuture.failedFuture(ex);
		}
		new Attempts(outcome, done).follow(first);
		return done;
	}

	/** The attempts of one asynchronous store. */
	private final class Attempts {

		private final TaskResult outcome;

		private final CompletableFuture<@Nullable Void> done;

		private final long deadline = System.nanoTime() + OutcomeStore.this.retryFor.toNanos();

		private long backOff = FIRST_BACK_OFF_NANOS;

		private int attempts = 1;

		Attempts(TaskResult outcome, CompletableFuture<@Nullable Void> done) {
			this.outcome = outcome;
			this.done = done;
		}

		void follow(CompletableFuture<@Nullable Void> attempt) {
			attempt.whenComplete((stored, failure) -> {
				if (failure == null) {
					if (this.attempts > 1) {
						logger.info("Stored the " + this.outcome.status() + " of task " + this.outcome.taskId()
								+ " after " + this.attempts + " attempts");
					}
					this.done.complete(null);
				}
				else {
					failed((failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
							: failure);
				}
			});
		}

		private void failed(Throwable failure) {
			if (!isTransient(failure) || System.nanoTime() + this.backOff - this.deadline > 0) {
				this.done.completeExceptionally(failure);
				return;
			}
			if (this.attempts == 1) {
				logger.warn("Could not store the " + this.outcome.status() + " of task " + this.outcome.taskId()
						+ "; trying again for up to " + OutcomeStore.this.retryFor.toSeconds() + " s rather than"
						+ " running the task again: " + failure.getMessage());
			}
			long delay = this.backOff;
			this.backOff = Math.min(2 * delay, MAX_BACK_OFF_NANOS);
			this.attempts++;
			try {
				OutcomeStore.this.retries.schedule(this::again, delay, TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				this.done.completeExceptionally(failure);
			}
		}

		private void again() {
			CompletableFuture<@Nullable Void> attempt;
			try {
				attempt = OutcomeStore.this.backend.storeAsync(this.outcome);
			}
			catch (Throwable ex) {
				attempt = CompletableFuture.failedFuture(ex);
			}
			follow(attempt);
		}

	}

}
