package io.taskqueue.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks a bean method as the implementation of a task (Celery's {@code @app.task}).
 *
 * <p>Positional JSON arguments bind to the method's parameters in order and keyword arguments by
 * parameter name (compile with {@code -parameters}); each is converted with the application's
 * Jackson mapper to the declared type. A parameter of type {@link io.taskqueue.core.TaskContext} is
 * injected. The return value becomes the task's result; a thrown exception makes it FAILURE.
 *
 * <pre class="code">
 * &#64;TaskListener(name = "math.add")
 * int add(int x, int y) { return x + y; }
 * </pre>
 *
 * <p>Works on proxied beans ({@code @Transactional}, AOP): the method is invoked through the proxy.
 * {@code ${...}} placeholders are resolved in {@link #name()} and {@link #queue()}.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskListener {

	/**
	 * Alias for {@link #name()}.
	 * @return the task name
	 */
	@AliasFor("name")
	String value() default "";

	/**
	 * The task name producers send, e.g. {@code emails.send_welcome}; must be unique.
	 * @return the task name
	 */
	@AliasFor("value")
	String name() default "";

	/**
	 * The queue this task is consumed from and, for senders in this application, routed to; empty
	 * to follow {@code taskqueue.routes} and then {@code taskqueue.default-queue}.
	 * @return the queue name
	 */
	String queue() default "";

	/**
	 * How many times the task may be retried before it fails for good; {@code -1} for no limit.
	 * @return the retry budget
	 */
	int maxRetries() default 3;

	/**
	 * Countdown of a retry that names none, e.g. {@code "30s"}; with {@link #retryBackoff()} the first
	 * delay of the exponential back-off. {@code ${...}} placeholders are resolved.
	 * @return the delay
	 */
	String defaultRetryDelay() default "3m";

	/**
	 * Exceptions that retry the task automatically (subclasses included).
	 * @return the exception types
	 */
	Class<? extends Throwable>[] autoRetryFor() default {};

	/**
	 * Exceptions that never retry automatically, even when they match {@link #autoRetryFor()}.
	 * @return the exception types
	 */
	Class<? extends Throwable>[] dontAutoRetryFor() default {};

	/**
	 * Whether automatic retries back off exponentially from {@link #defaultRetryDelay()} (doubling).
	 * @return whether to back off
	 */
	boolean retryBackoff() default false;

	/**
	 * Longest countdown of an exponential back-off, e.g. {@code "10m"}.
	 * @return the cap
	 */
	String retryBackoffMax() default "10m";

	/**
	 * Whether back-off countdowns are randomized (full jitter: between zero and the computed delay).
	 * @return whether to add jitter
	 */
	boolean retryJitter() default true;

	/**
	 * Whether the message is acknowledged after the task finished (a task whose worker dies runs
	 * again) rather than when it starts (it is lost with its worker). {@code taskqueue.worker.acks-late=false}
	 * makes every task acknowledge early.
	 * @return whether to acknowledge late
	 */
	boolean acksLate() default true;

	/**
	 * Whether a task whose worker died while running it is run again when redelivered (the default),
	 * or recorded as FAILURE ({@code WorkerLostError}) and not re-run, for tasks that must not run twice.
	 * @return whether to run it again
	 */
	boolean rejectOnWorkerLost() default true;

	/**
	 * Hard time limit, e.g. {@code "30s"}: the task is recorded FAILURE ({@code TimeLimitExceeded}),
	 * its slot is freed, and its thread is interrupted and can no longer write a result. Empty for
	 * {@code taskqueue.worker.time-limit}.
	 * @return the limit
	 */
	String timeLimit() default "";

	/**
	 * Soft time limit, e.g. {@code "25s"}: the task's thread is interrupted and
	 * {@link io.taskqueue.core.TaskContext#checkSoftTimeLimit()} throws
	 * {@link io.taskqueue.core.SoftTimeLimitExceeded}, so it can clean up. Empty for
	 * {@code taskqueue.worker.soft-time-limit}.
	 * @return the limit
	 */
	String softTimeLimit() default "";

	/**
	 * Cluster-wide rate limit such as {@code "10/s"}, {@code "100/m"} or {@code "1000/h"}; empty for none.
	 * @return the rate limit
	 */
	String rateLimit() default "";

	/**
	 * Whether nothing is stored when the task succeeds.
	 * @return whether to ignore the result
	 */
	boolean ignoreResult() default false;

	/**
	 * Whether STARTED is recorded, with the worker and start time, when the task starts.
	 * @return whether to track the start
	 */
	boolean trackStarted() default true;

	/**
	 * A SpEL expression over the task's parameters, such as {@code "#email"}, that makes sends of
	 * this task from this application unique: while a task with the same key is queued or running,
	 * sending again returns its result instead of queueing another. Empty for none. Applies to sends
	 * from applications that contain this listener; others set {@code uniqueKey} on the request.
	 * @return the unique key expression
	 */
	String unique() default "";

	/**
	 * The longest time a {@link #unique()} key is held, even if the task never finishes.
	 * @return the duration, such as {@code "10m"}
	 */
	String uniqueFor() default "1h";

}
