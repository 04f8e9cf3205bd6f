package io.taskqueue.listener;

import java.time.Duration;
import java.util.List;

import io.taskqueue.ratelimit.RateLimit;
import org.jspecify.annotations.Nullable;

/**
 * The resolved execution options of one task implementation ({@code @TaskListener} attributes with
 * placeholders and worker defaults applied).
 *
 * @param maxRetries the retry budget, {@code -1} for no limit
 * @param defaultRetryDelay the countdown of a retry that names none, and the first back-off step
 * @param autoRetryFor exceptions that retry automatically
 * @param dontAutoRetryFor exceptions that never retry automatically
 * @param retryBackoff whether automatic retries back off exponentially
 * @param retryBackoffMax the longest back-off countdown
 * @param retryJitter whether back-off countdowns are randomized
 * @param acksLate whether messages are acknowledged after the task finished
 * @param rejectOnWorkerLost whether a task whose worker died runs again
 * @param timeLimit the hard time limit, or {@code null}
 * @param softTimeLimit the soft time limit, or {@code null}
 * @param rateLimit the cluster-wide rate limit, or {@code null}
 * @param ignoreResult whether nothing is stored on success
 * @param trackStarted whether STARTED is recorded
 * @param unique the SpEL expression of the unique key, or {@code null} if sends are not unique
 * @param uniqueFor the longest time a unique key is held
 */
public record TaskOptions(int maxRetries, Duration defaultRetryDelay, List<Class<? extends Throwable>> autoRetryFor,
		List<Class<? extends Throwable>> dontAutoRetryFor, boolean retryBackoff, Duration retryBackoffMax,
		boolean retryJitter, boolean acksLate, boolean rejectOnWorkerLost, @Nullable Duration timeLimit,
		@Nullable Duration softTimeLimit, @Nullable RateLimit rateLimit, boolean ignoreResult,
		boolean trackStarted, @Nullable String unique, Duration uniqueFor) {

	/** The options of a listener declared with no attributes but its name. */
	public static final TaskOptions DEFAULTS = new TaskOptions(3, Duration.ofMinutes(3), List.of(), List.of(), false,
			Duration.ofMinutes(10), true, true, true, null, null, null, false, true, null, Duration.ofHours(1));

	/**
	 * Whether an exception retries the task automatically.
	 * @param exception the exception the task threw
	 * @return {@code true} if it matches {@code autoRetryFor} and not {@code dontAutoRetryFor}
	 */
	public boolean retriesAutomatically(Throwable exception) {
		return matches(this.autoRetryFor, exception) && !matches(this.dontAutoRetryFor, exception);
	}

	private static boolean matches(List<Class<? extends Throwable>> types, Throwable exception) {
		return types.stream().anyMatch((type) -> type.isInstance(exception));
	}

}
