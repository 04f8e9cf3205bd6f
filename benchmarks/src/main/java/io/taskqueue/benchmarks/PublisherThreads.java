package io.taskqueue.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the RabbitMQ benchmarks share around their publishers: run them on threads of their own and
 * wait for every message to be consumed.
 */
final class PublisherThreads {

	private PublisherThreads() {
	}

	/**
	 * Run {@code count} publishers, each on a thread named {@code name-<index>}, wait for all of them,
	 * and throw the first failure.
	 */
	static void run(String name, int count, Publisher publisher) throws Exception {
		AtomicReference<Exception> failure = new AtomicReference<>();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			int index = i;
			Thread thread = new Thread(() -> {
				try {
					publisher.publish(index);
				}
				catch (Exception ex) {
					failure.compareAndSet(null, ex);
				}
			}, name + "-" + i);
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join();
		}
		if (failure.get() != null) {
			throw failure.get();
		}
	}

	/** Wait up to two minutes for the consumer to count every message down. */
	static void awaitConsumed(CountDownLatch consumed) throws InterruptedException {
		if (!consumed.await(120, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Not every message arrived: " + consumed.getCount() + " missing");
		}
	}

	/** One publishing thread's work. */
	@FunctionalInterface
	interface Publisher {

		void publish(int index) throws Exception;

	}

}
