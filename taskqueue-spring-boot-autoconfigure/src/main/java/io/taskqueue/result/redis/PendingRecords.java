package io.taskqueue.result.redis;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import io.taskqueue.result.TaskResult;
import io.taskqueue.support.CombiningWriter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Writes the {@code PENDING} records of sent tasks in the background, every record queued within
 * about a millisecond in one round trip, so a send costs the producer one round trip (the publish)
 * instead of two. Until a record is written, {@link #get} answers for it, so this process reads its
 * own writes.
 */
final class PendingRecords {

	private static final Log logger = LogFactory.getLog(PendingRecords.class);

	private static final int MAX_BATCH = 1_000;

	private final Map<String, TaskResult> unwritten = new ConcurrentHashMap<>();

	private final Consumer<List<TaskResult>> writer;

	private final CombiningWriter<TaskResult, @Nullable Void> batches;

	/**
	 * Create the writer.
	 * @param writer writes one batch (never replacing a stored state)
	 * @param flusher the thread that writes the records queued within a millisecond
	 */
	PendingRecords(Consumer<List<TaskResult>> writer, ScheduledExecutorService flusher) {
		this.writer = writer;
		this.batches = new CombiningWriter<>(this::write, MAX_BATCH, flusher, (ex) -> {
		});
	}

	void add(TaskResult pending) {
		this.unwritten.put(pending.taskId(), pending);
		this.batches.submitLater(pending);
	}

	@Nullable TaskResult get(String taskId) {
		return this.unwritten.get(taskId);
	}

	private List<@Nullable Void> write(List<TaskResult> batch) {
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
		return Collections.nCopies(batch.size(), null);
	}

	/**
	 * Write what is still queued, in the calling thread.
	 */
	void flush() {
		this.batches.drain();
	}

}
