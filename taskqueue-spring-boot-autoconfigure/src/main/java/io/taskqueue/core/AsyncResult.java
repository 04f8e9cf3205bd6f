package io.taskqueue.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.TaskError;
import io.taskqueue.result.TaskResult;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A handle on a task's state and result, usable from any process that shares the result backend.
 * Waiting ({@link #get(Duration)}, {@link #toCompletableFuture()}) is driven by the backend's
 * notifications, not by polling.
 */
public class AsyncResult {

	private final String id;

	private final ResultBackend backend;

	private final JsonMapper mapper;

	private final Duration revocationTimeToLive;

	/**
	 * Create a handle.
	 * @param id the task id
	 * @param backend the result backend holding the task's state
	 * @param mapper the mapper used to convert results to requested types
	 */
	public AsyncResult(String id, ResultBackend backend, JsonMapper mapper) {
		this(id, backend, mapper, Duration.ofDays(1));
	}

	/**
	 * Create a handle.
	 * @param id the task id
	 * @param backend the result backend holding the task's state
	 * @param mapper the mapper used to convert results to requested types
	 * @param revocationTimeToLive how long a revocation of this task is remembered
	 */
	public AsyncResult(String id, ResultBackend backend, JsonMapper mapper, Duration revocationTimeToLive) {
		this.id = id;
		this.backend = backend;
		this.mapper = mapper;
		this.revocationTimeToLive = revocationTimeToLive;
	}

	/** @return the task id */
	public String id() {
		return this.id;
	}

	/** @return the current state; {@link TaskState#PENDING} when nothing is stored */
	public TaskState state() {
		TaskResult result = this.backend.get(this.id);
		return (result != null) ? result.state() : TaskState.PENDING;
	}

	/**
	 * Whether anything is known about this task: it was sent through a {@link TaskTemplate} or a
	 * worker recorded a state. {@code false} means "never heard of" (or its result expired).
	 * @return whether the task is known
	 */
	public boolean exists() {
		return this.backend.get(this.id) != null;
	}

	/** @return whether the task finished (SUCCESS, FAILURE or REVOKED) */
	public boolean ready() {
		return state().isReady();
	}

	/** @return whether the task finished with a result */
	public boolean successful() {
		return state() == TaskState.SUCCESS;
	}

	/** @return whether the task finished with an error or was revoked */
	public boolean failed() {
		TaskState state = state();
		return state == TaskState.FAILURE || state == TaskState.REVOKED;
	}

	/**
	 * Return the stored value without waiting, as Celery's {@code AsyncResult.info}: the result once
	 * successful, the {@link TaskError} once failed or revoked, progress metadata while running,
	 * {@code null} while pending.
	 * @return the current value
	 */
	public @Nullable Object info() {
		TaskResult result = this.backend.get(this.id);
		if (result == null) {
			return null;
		}
		return (result.error() != null && result.state() != TaskState.SUCCESS) ? result.error() : result.result();
	}

	/**
	 * Wait for the task to finish and return its result as plain JSON values (maps, lists, strings,
	 * numbers, booleans).
	 * @param timeout how long to wait
	 * @return the result
	 * @throws TaskFailedException if the task failed or was revoked
	 * @throws TaskTimeoutException if it was not ready in time
	 */
	public @Nullable Object get(Duration timeout) {
		CompletableFuture<TaskResult> future = this.backend.whenReady(this.id);
		try {
			return valueOf(future.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
		}
		catch (TimeoutException ex) {
			throw new TaskTimeoutException(this.id, state(), timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TaskException("Interrupted while waiting for task " + this.id, ex);
		}
		catch (ExecutionException ex) {
			throw new TaskException("Could not read the result of task " + this.id, ex.getCause());
		}
		finally {
			future.cancel(false);
		}
	}

	/**
	 * Wait for the task to finish and return its result converted to the given type.
	 * @param <T> the result type
	 * @param timeout how long to wait
	 * @param type the type to convert the JSON result to
	 * @return the converted result
	 * @throws TaskFailedException if the task failed or was revoked
	 * @throws TaskTimeoutException if it was not ready in time
	 */
	public <T> @Nullable T get(Duration timeout, Class<T> type) {
		return convert(get(timeout), type);
	}

	/**
	 * Return a future completed with the result (as plain JSON values) when the task finishes, or
	 * completed exceptionally with a {@link TaskFailedException}. Cancelling it stops the waiting,
	 * not the task.
	 * @return the future
	 */
	public CompletableFuture<@Nullable Object> toCompletableFuture() {
		CompletableFuture<TaskResult> ready = this.backend.whenReady(this.id);
		CompletableFuture<@Nullable Object> value = ready.thenApply(this::valueOrThrow);
		value.whenComplete((result, ex) -> {
			if (ex instanceof CancellationException) {
				ready.cancel(false);
			}
		});
		return value;
	}

	/**
	 * Revoke the task: every worker, including ones started later, skips it (state REVOKED). A task
	 * already running finishes; use {@link #revoke(boolean) revoke(true)} to interrupt it.
	 */
	public void revoke() {
		revoke(false);
	}

	/**
	 * Revoke the task, and with {@code terminate} also interrupt it where it is running; a terminated
	 * task cannot record a result any more. Revocations are kept for {@code taskqueue.result-backend.expires}.
	 * @param terminate whether to interrupt a running execution
	 */
	public void revoke(boolean terminate) {
		this.backend.revoke(this.id, terminate, this.revocationTimeToLive);
		TaskResult current = this.backend.get(this.id);
		if (current == null || !current.isReady()) {
			String name = (current != null && current.taskName() != null) ? current.taskName() : "unknown";
			// announced on this process's reply channel too, where its own waiters for the task listen
			this.backend.store(TaskResult.revoked(this.id, name, terminate ? "terminated" : "revoked", Instant.now())
				.withLineage(null, null, this.backend.replyAddress()));
		}
	}

	/**
	 * Remove what the result backend stores for this task.
	 */
	public void forget() {
		this.backend.forget(this.id);
	}

	private @Nullable Object valueOrThrow(TaskResult result) {
		try {
			return valueOf(result);
		}
		catch (TaskFailedException ex) {
			throw new CompletionException(ex);
		}
	}

	private @Nullable Object valueOf(TaskResult result) {
		if (result.state() == TaskState.SUCCESS) {
			return result.result();
		}
		TaskError error = (result.error() != null) ? result.error()
				: new TaskError("UnknownError", "no error recorded", null);
		throw new TaskFailedException(this.id, result.state(), error, result.traceback());
	}

	private <T> @Nullable T convert(@Nullable Object value, Class<T> type) {
		if (value == null || type.isInstance(value)) {
			return type.cast(value);
		}
		return this.mapper.convertValue(value, type);
	}

	@Override
	public String toString() {
		return "AsyncResult[" + this.id + "]";
	}

}
