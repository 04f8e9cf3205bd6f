package io.taskqueue.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Combines the requests of concurrent callers into one batch per round trip ("group commit"), with
 * no thread of its own and no added latency for a lone caller.
 *
 * <p>A caller queues its item and, if no write is in progress, becomes the writer: it takes every
 * queued item (up to the batch limit, its own included), writes them with one call of the batch
 * function and hands each caller its answer. Callers that arrive while a write is in progress wait,
 * and the next of them writes everything that queued up meanwhile. So a lone caller writes at once,
 * and under load each round trip carries as many items as arrived during the previous one. A writer
 * may allow a few writes at once (see {@link #CombiningWriter(Function, int, int)}); then a caller
 * becomes a writer whenever fewer than that many are in progress.
 *
 * <p>{@link #submit} returns only once its item is written, so callers keep their synchronous
 * guarantees (a message is published, a result stored) exactly as with one call per item. If a
 * batch fails, every caller of that batch gets the exception.
 *
 * @param <I> the items
 * @param <O> the answer for each item
 */
public final class CombiningWriter<I, O> {

	/**
	 * Waiters re-check this often, as a safety net; they are always woken at once when their item is
	 * written or when it is their turn to write. Not shorter: a wait as long as a RabbitMQ publisher
	 * confirm under load (10-20 ms) would otherwise wake every waiting caller several times, and those
	 * wake-ups cost the producer about a fifth of its CPU.
	 */
	private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	/** How long {@link #drain()} waits before looking again when another thread is writing. */
	private static final long DRAIN_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

	private final Function<List<I>, List<O>> batchFunction;

	private final int maxBatch;

	private final ConcurrentLinkedQueue<Request<I, O>> queue = new ConcurrentLinkedQueue<>();

	/** How many writes are in progress. */
	private final AtomicInteger writing = new AtomicInteger();

	/** How many writes may be in progress at once. */
	private final int maxWriters;

	private final @Nullable ScheduledExecutorService flusher;

	private final AtomicBoolean flushScheduled = new AtomicBoolean();

	private final AtomicBoolean writeScheduled = new AtomicBoolean();

	private final Consumer<RuntimeException> laterFailures;

	/** Whether the flusher is this writer's own, stopped by {@link #close()}. */
	private final boolean ownFlusher;

	/**
	 * Create a writer whose callers all wait for their items.
	 * @param batchFunction writes a batch and returns one answer per item, in order
	 * @param maxBatch the most items written by one call
	 */
	public CombiningWriter(Function<List<I>, List<O>> batchFunction, int maxBatch) {
		this(batchFunction, maxBatch, 1);
	}

	/**
	 * Create a writer whose callers all wait for their items, with up to {@code maxWriters} batches
	 * written at once: a caller that finds fewer writes in progress becomes a writer too. For a batch
	 * function whose round trips overlap well (RabbitMQ publishes on channels of their own, each
	 * waiting for its confirms), so that the next batch does not wait for the previous one's round
	 * trip. Items of different callers may then be written in any order.
	 * @param batchFunction writes a batch and returns one answer per item, in order; called by up
	 * to {@code maxWriters} threads at once
	 * @param maxBatch the most items written by one call
	 * @param maxWriters the most batches written at once
	 */
	public CombiningWriter(Function<List<I>, List<O>> batchFunction, int maxBatch, int maxWriters) {
		this(batchFunction, maxBatch, maxWriters, null, (ex) -> {
		}, false);
	}

	/**
	 * Create a writer that also takes items nobody waits for ({@link #submitLater}).
	 * @param batchFunction writes a batch and returns one answer per item, in order
	 * @param maxBatch the most items written by one call
	 * @param flusher writes items submitted for later when no caller does within a millisecond
	 * @param laterFailures told when a batch holding items submitted for later failed
	 */
	public CombiningWriter(Function<List<I>, List<O>> batchFunction, int maxBatch,
			@Nullable ScheduledExecutorService flusher, Consumer<RuntimeException> laterFailures) {
		this(batchFunction, maxBatch, 1, flusher, laterFailures, false);
	}

	private CombiningWriter(Function<List<I>, List<O>> batchFunction, int maxBatch, int maxWriters,
			@Nullable ScheduledExecutorService flusher, Consumer<RuntimeException> laterFailures, boolean ownFlusher) {
		if (maxBatch < 1) {
			throw new IllegalArgumentException("maxBatch must be at least 1");
		}
		if (maxWriters < 1) {
			throw new IllegalArgumentException("maxWriters must be at least 1");
		}
		this.batchFunction = batchFunction;
		this.maxBatch = maxBatch;
		this.maxWriters = maxWriters;
		this.flusher = flusher;
		this.laterFailures = laterFailures;
		this.ownFlusher = ownFlusher;
	}

	/**
	 * Create a writer that takes items nobody waits for, with a flusher thread of its own (a daemon,
	 * started when first needed), which {@link #close()} stops.
	 * @param threadNamePrefix the prefix of the flusher thread's name
	 * @param batchFunction writes a batch and returns one answer per item, in order
	 * @param maxBatch the most items written by one call
	 * @param laterFailures told when a batch holding items submitted for later failed
	 * @param <I> the items
	 * @param <O> the answer for each item
	 * @return the writer
	 */
	public static <I, O> CombiningWriter<I, O> withOwnFlusher(String threadNamePrefix,
			Function<List<I>, List<O>> batchFunction, int maxBatch, Consumer<RuntimeException> laterFailures) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(threadNamePrefix);
		threads.setDaemon(true);
		return new CombiningWriter<>(batchFunction, maxBatch, 1, Executors.newSingleThreadScheduledExecutor(threads),
				laterFailures, true);
	}

	/**
	 * Write what is queued ({@link #drain()}) and stop the writer's own flusher, if it has one.
	 */
	public void close() {
		ScheduledExecutorService flusher = this.flusher;
		if (this.ownFlusher && flusher != null) {
			flusher.shutdown();
		}
		drain();
		if (this.ownFlusher && flusher != null) {
			flusher.shutdownNow();
		}
	}

	/**
	 * Queue an item without waiting for it: it goes out with the next batch, at the latest about a
	 * millisecond from now. Items of one thread still go out in the order they were submitted, so
	 * an item submitted later with {@link #submit} is written after this one.
	 * @param item the item
	 */
	public void submitLater(I item) {
		if (this.flusher == null) {
			throw new IllegalStateException("This writer has no flusher for items submitted for later");
		}
		this.queue.add(new Request<>(item, null, null));
		flushSoon();
	}

	/**
	 * Write an item at once without waiting for other callers' writes: with no write in progress the
	 * caller writes it (and whatever else is queued) itself, as {@link #submit} would; otherwise the
	 * item is queued and the caller returns, and it goes out in the next batch, written by the flusher
	 * as soon as the write in progress ends. So a lone caller pays no thread hand-off, and callers
	 * under load never wait for a round trip. Items of one thread go out in the order they were
	 * submitted, whichever method submitted them.
	 * <p>The future completes on the thread that wrote the batch, so what depends on it must not block.
	 * @param item the item
	 * @return completes with the item's answer once it is written, or with what the batch function threw
	 */
	public CompletableFuture<O> submitAsync(I item) {
		CompletableFuture<O> written = queueForFuture(item, "written asynchronously");
		if (!writeIfIdle()) {
			writeNow();
		}
		return written;
	}

	/**
	 * Hand an item over to the flusher and return at once: the caller never writes, nor waits for a
	 * write. The flusher writes it as soon as no write is in progress, with whatever else is queued,
	 * so items handed over while a round trip is in progress share the next one. Items of one thread
	 * go out in the order they were handed over.
	 * <p>The future completes on the flusher's thread, so what depends on it must not block.
	 * @param item the item
	 * @return completes with the item's answer once it is written, or with what the batch function threw
	 */
	public CompletableFuture<O> handOver(I item) {
		CompletableFuture<O> written = queueForFuture(item, "handed over");
		writeNow();
		return written;
	}

	/** Queue an item whose answer goes to a future, which needs the flusher to write it if no caller does. */
	private CompletableFuture<O> queueForFuture(I item, String how) {
		if (this.flusher == null) {
			throw new IllegalStateException("This writer has no flusher for items " + how);
		}
		CompletableFuture<O> written = new CompletableFuture<>();
		this.queue.add(new Request<>(item, null, written));
		return written;
	}

	private void writeNow() {
		ScheduledExecutorService flusher = this.flusher;
		if (flusher != null && this.writing.get() == 0 && this.writeScheduled.compareAndSet(false, true)) {
			try {
				flusher.execute(() -> {
					this.writeScheduled.set(false);
					flush();
				});
			}
			catch (RejectedExecutionException ex) {
				this.writeScheduled.set(false);
				drain();
			}
		}
	}

	private void flushSoon() {
		ScheduledExecutorService flusher = this.flusher;
		if (flusher != null && this.flushScheduled.compareAndSet(false, true)) {
			try {
				flusher.schedule(this::scheduledFlush, 1, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				this.flushScheduled.set(false);
			}
		}
	}

	private void scheduledFlush() {
		this.flushScheduled.set(false);
		flush();
	}

	private void flush() {
		if (this.queue.isEmpty()) {
			return;
		}
		try {
			if (!writeIfIdle()) {
				flushSoon();
			}
		}
		catch (Throwable ex) {
			this.laterFailures.accept(new IllegalStateException("Batch write failed: " + ex, ex));
		}
	}

	/**
	 * Write everything queued now, in the calling thread, and return once no write is in progress;
	 * for shutdown, so that items submitted for later are not left behind. Failures go where those of
	 * items submitted for later go.
	 */
	public void drain() {
		while (!this.queue.isEmpty() || this.writing.get() > 0) {
			if (!writeIfIdle()) {
				LockSupport.parkNanos(this, DRAIN_WAIT_NANOS);
			}
		}
	}

	/**
	 * Write an item, together with whatever other callers submit meanwhile.
	 * <p>An interrupt does not cut the wait short: the item may already be on its way, and a caller
	 * told it failed would send it again. An interrupt received before the call or while waiting is
	 * set aside, so it does not reach the batch function (an interrupted caller that becomes the
	 * writer does not fail other callers' items), and restored when this returns. One that arrives
	 * while this caller is itself writing can still abort that write.
	 * @param item the item
	 * @return its answer
	 * @throws RuntimeException what the batch function threw for the batch holding this item
	 */
	public O submit(I item) {
		boolean interrupted = Thread.interrupted();
		try {
			Request<I, O> request = new Request<>(item, Thread.currentThread(), null);
			this.queue.add(request);
			while (!request.done) {
				if (!writeIfIdle() && !request.done) {
					LockSupport.parkNanos(this, RECHECK_NANOS);
					interrupted |= Thread.interrupted();
				}
			}
			if (request.failure != null) {
				throw request.failure;
			}
			return request.answer;
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Send what is queued along with a round trip the caller makes anyway (for example,
	 * acknowledgements with the next consume), saving a round trip of its own. When items are queued
	 * and no write is in progress, the caller becomes the writer: {@code trip} gets the queued items
	 * (up to the batch limit) and, once it returns, each of them is settled with {@code answer}, or
	 * with what it threw. Otherwise {@code trip} gets an empty list and the items go out as usual.
	 * @param trip the caller's round trip, which also writes the items it is given
	 * @param answer the answer of every item written along
	 * @param <R> what the round trip returns
	 * @return what {@code trip} returned
	 */
	public <R> R writeAlong(Function<List<I>, R> trip, @Nullable O answer) {
		if (this.queue.isEmpty() || !startWriting()) {
			return trip.apply(List.of());
		}
		List<Request<I, O>> batch = new ArrayList<>();
		try {
			R result = trip.apply(takeQueued(batch));
			for (Request<I, O> request : batch) {
				request.complete(answer);
			}
			return result;
		}
		catch (RuntimeException ex) {
			failUnsettled(batch, ex);
			throw ex;
		}
		catch (Throwable ex) {
			failUnsettled(batch, new IllegalStateException("Batch write failed: " + ex, ex));
			throw ex;
		}
		finally {
			this.writing.decrementAndGet();
			wakeNextWriter();
		}
	}

	/**
	 * Become a writer if fewer writes than allowed are in progress, write what is queued, and hand
	 * over to the next.
	 * @return {@code false} if as many writes as allowed were in progress
	 */
	private boolean writeIfIdle() {
		if (!startWriting()) {
			return false;
		}
		try {
			writeQueued();
		}
		finally {
			this.writing.decrementAndGet();
			wakeNextWriter();
		}
		return true;
	}

	/** Take one of the {@code maxWriters} turns to write, if one is free. */
	private boolean startWriting() {
		int writers;
		do {
			writers = this.writing.get();
			if (writers >= this.maxWriters) {
				return false;
			}
		}
		while (!this.writing.compareAndSet(writers, writers + 1));
		return true;
	}

	/**
	 * Write what is queued, up to the batch limit. Every request taken is settled whatever happens;
	 * an {@link Error} is handed to the other callers wrapped and rethrown to this one.
	 */
	private void writeQueued() {
		List<Request<I, O>> batch = new ArrayList<>(Math.min(this.maxBatch, 64));
		try {
			List<I> items = takeQueued(batch);
			if (items.isEmpty()) {
				return;
			}
			List<O> answers = this.batchFunction.apply(items);
			if (answers.size() != batch.size()) {
				throw new IllegalStateException(
						"Batch function returned " + answers.size() + " answers for " + batch.size() + " items");
			}
			for (int i = 0; i < batch.size(); i++) {
				batch.get(i).complete(answers.get(i));
			}
		}
		catch (RuntimeException ex) {
			failUnsettled(batch, ex);
		}
		catch (Throwable ex) {
			failUnsettled(batch, new IllegalStateException("Batch write failed: " + ex, ex));
			throw ex;
		}
	}

	/**
	 * Move queued requests, up to the batch limit, into {@code batch}.
	 * @return their items, in order
	 */
	private List<I> takeQueued(List<Request<I, O>> batch) {
		Request<I, O> next;
		while (batch.size() < this.maxBatch && (next = this.queue.poll()) != null) {
			batch.add(next);
		}
		List<I> items = new ArrayList<>(batch.size());
		for (Request<I, O> request : batch) {
			items.add(request.item);
		}
		return items;
	}

	private void failUnsettled(List<Request<I, O>> batch, RuntimeException failure) {
		boolean laterItems = false;
		for (Request<I, O> request : batch) {
			if (!request.done) {
				request.fail(failure);
				laterItems |= request.thread == null && request.written == null;
			}
		}
		if (laterItems) {
			this.laterFailures.accept(failure);
		}
	}

	/**
	 * Wake a caller that queued while this write was in progress, so that it writes the next batch;
	 * when no caller waits, have the flusher write what is queued: at once if an item is to be
	 * written at once, else within a millisecond.
	 */
	private void wakeNextWriter() {
		boolean urgent = false;
		for (Request<I, O> request : this.queue) {
			if (request.thread != null) {
				LockSupport.unpark(request.thread);
				return;
			}
			urgent |= request.written != null;
		}
		if (urgent) {
			writeNow();
		}
		else if (!this.queue.isEmpty()) {
			flushSoon();
		}
	}

	private static final class Request<I, O> {

		private final I item;

		/** The caller waiting for it; {@code null} for an item submitted for later or asynchronously. */
		private final @Nullable Thread thread;

		/** Completed with the answer of an item submitted asynchronously. */
		private final @Nullable CompletableFuture<O> written;

		private @Nullable O answer;

		private @Nullable RuntimeException failure;

		private volatile boolean done;

		Request(I item, @Nullable Thread thread, @Nullable CompletableFuture<O> written) {
			this.item = item;
			this.thread = thread;
			this.written = written;
		}

		void complete(@Nullable O answer) {
			this.answer = answer;
			this.done = true;
			wake();
			if (this.written != null) {
				this.written.complete(answer);
			}
		}

		void fail(RuntimeException failure) {
			this.failure = failure;
			this.done = true;
			wake();
			if (this.written != null) {
				this.written.completeExceptionally(failure);
			}
		}

		/**
		 * Wake the caller, unless it is the writer itself: a permit left to the current thread would
		 * make its caller's next park return at once (a pacing loop would stop pacing).
		 */
		private void wake() {
			if (this.thread != null && this.thread != Thread.currentThread()) {
				LockSupport.unpark(this.thread);
			}
		}

	}

}
