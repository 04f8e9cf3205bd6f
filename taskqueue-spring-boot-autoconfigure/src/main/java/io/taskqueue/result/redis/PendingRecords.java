package io.taskqueue.result.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.taskqueue.result.TaskResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Writes the {@code PENDING} records of sent tasks in the background, many per round trip, so a
 * send costs the producer one round trip (the publish) instead of two. Until a record is written,
 * {@link #get} answers for it, so this process reads its own writes.
 */
final class PendingRecords implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(PendingRecords.class);

	private static final int MAX_BATCH = 1_000;

	private final Map<String, TaskResult> unwritten = new ConcurrentHashMap<>();

	private final LinkedBlockingQueue<TaskResult> queue = new LinkedBlockingQueue<>();

	private final Consumer<List<TaskResult>> writer;

	private final Thread thread;

	private volatile boolean running = true;

	/**
	 * Create the writer.
	 * @param writer writes one batch (never replacing a stored state)
	 */
	PendingRecords(Consumer<List<TaskResult>> writer) {
		this.writer = writer;
		this.thread = new Thread(this::run, "taskqueue-pending-writer");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	void add(TaskResult pending) {
		this.unwritten.put(pending.taskId(), pending);
		this.queue.add(pending);
	}

	@Nullable TaskResult get(String taskId) {
		return this.unwritten.get(taskId);
	}

	private void run() {
		List<TaskResult> batch = new ArrayList<>();
		while (this.running || !this.queue.isEmpty()) {
			try {
				TaskResult first = this.queue.poll(100, TimeUnit.MILLISECONDS);
				if (first != null) {
					batch.add(first);
					this.queue.drainTo(batch, MAX_BATCH - 1);
					write(batch);
					batch.clear();
				}
			}
			catch (InterruptedException ex) {
				if (!this.running) {
					drain(batch);
				}
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void drain(List<TaskResult> batch) {
		batch.clear();
		this.queue.drainTo(batch);
		if (!batch.isEmpty()) {
			write(batch);
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

	@Override
	public void close() {
		this.running = false;
		try {
			this.thread.join(TimeUnit.SECONDS.toMillis(5));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
