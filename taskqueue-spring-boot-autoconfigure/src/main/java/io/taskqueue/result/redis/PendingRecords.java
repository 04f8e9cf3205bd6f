package io.taskqueue.result.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.taskqueue.result.TaskResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Writes the {@code PENDING} records of sent tasks in the background, in one batch every
 * {@link #INTERVAL}, so a send costs the producer one round trip (the publish) instead of two.
 * <p>A record is only ever written where nothing is stored yet, so the record of a task whose ready
 * state this process has heard of meanwhile ({@link #settled}, from its reply channel) would change
 * nothing and is dropped: short tasks cost no record at all. Until a record is written or dropped,
 * {@link #get} answers for it, so this process reads its own writes; other processes see it within
 * about twice the interval.
 */
final class PendingRecords {

	static final Duration INTERVAL = Duration.ofMillis(20);

	private static final Log logger = LogFactory.getLog(PendingRecords.class);

	private static final int MAX_BATCH = 1_000;

	private final Map<String, TaskResult> unwritten = new ConcurrentHashMap<>();

	private final Queue<TaskResult> queued = new ConcurrentLinkedQueue<>();

	private final Consumer<List<TaskResult>> writer;

	/** Held while a pass writes, so a {@link #flush()} returns only once everything is written. */
	private final Object writing = new Object();

	/**
	 * Create the writer.
	 * @param writer writes one batch (never replacing a stored state)
	 * @param flusher the thread that writes what is queued, every {@link #INTERVAL}
	 */
	PendingRecords(Consumer<List<TaskResult>> writer, ScheduledExecutorService flusher) {
		this.writer = writer;
		flusher.scheduleWithFixedDelay(this::flushQuietly, INTERVAL.toMillis(), INTERVAL.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	void add(TaskResult pending) {
		this.unwritten.put(pending.taskId(), pending);
		this.queued.add(pending);
	}

	/**
	 * Drop the record of a task whose ready state is stored, if it is not written yet.
	 * @param taskId the task id
	 */
	void settled(String taskId) {
		this.unwritten.remove(taskId);
	}

	@Nullable TaskResult get(String taskId) {
		return this.unwritten.get(taskId);
	}

	/**
	 * Write what is queued and not dropped, in the calling thread.
	 */
	void flush() {
		synchronized (this.writing) {
			List<TaskResult> batch = new ArrayList<>();
			for (TaskResult next = this.queued.poll(); next != null; next = this.queued.poll()) {
				if (this.unwritten.get(next.taskId()) == next) {
					batch.add(next);
				}
				if (batch.size() == MAX_BATCH) {
					write(batch);
					batch = new ArrayList<>();
				}
			}
			if (!batch.isEmpty()) {
				write(batch);
			}
		}
	}

	private void flushQuietly() {
		try {
			flush();
		}
		catch (Throwable ex) {
			// never let the periodic pass stop: the next one writes what is left
			logger.warn("Could not write PENDING records: " + ex);
		}
	}

	private void write(List<TaskResult> batch) {
		try {
			this.writer.accept(batch);
		}
		catch (RuntimeException ex) {
			// A PENDING record is a hint: callers see PENDING for unknown tasks anyway.
			logger.debug("Could not record " + batch.size() + " sent task(s) as PENDING: " + ex.getMessage());
		}
		finally {
			batch.forEach((pending) -> this.unwritten.remove(pending.taskId(), pending));
		}
	}

}
