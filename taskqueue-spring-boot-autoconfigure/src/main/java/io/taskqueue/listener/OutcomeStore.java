package io.taskqueue.listener;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.TaskResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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

	OutcomeStore(ResultBackend backend, Duration retryFor) {
		this.backend = backend;
		this.retryFor = retryFor;
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

}
