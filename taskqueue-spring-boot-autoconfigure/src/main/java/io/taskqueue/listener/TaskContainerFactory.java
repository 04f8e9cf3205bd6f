package io.taskqueue.listener;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.taskqueue.broker.TaskBroker;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Creates the {@link TaskQueueContainer} of a queue with the worker's settings: concurrency,
 * prefetch multiplier, poll timeout and thread kind (platform, or virtual where enabled and available).
 */
public class TaskContainerFactory {

	private final TaskBroker broker;

	private final TaskMessageProcessor processor;

	private final Settings settings;

	private final Clock clock;

	/**
	 * Create a factory.
	 * @param broker the broker containers consume from
	 * @param processor the processor that handles each delivery
	 * @param settings the worker settings
	 * @param clock the clock for poll timestamps
	 */
	public TaskContainerFactory(TaskBroker broker, TaskMessageProcessor processor, Settings settings, Clock clock) {
		this.broker = broker;
		this.processor = processor;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Create a container for a queue, not yet started.
	 * @param queue the queue
	 * @return the container
	 */
	public TaskQueueContainer createContainer(String queue) {
		int slots = this.settings.concurrency() * this.settings.prefetchMultiplier();
		ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
		backOff.setMaxInterval(5000);
		return new TaskQueueContainer(queue, this.broker, this.processor, this.settings.concurrency(), slots,
				this.settings.pollTimeout(), backOff, executor(queue), this.clock);
	}

	/**
	 * Return the settings containers are created with.
	 * @return the settings
	 */
	public Settings getSettings() {
		return this.settings;
	}

	/**
	 * Threads are created on demand and reused; the container's runners bound how many run tasks,
	 * and a thread stuck past its hard time limit is replaced rather than waited for.
	 */
	private Executor executor(String queue) {
		String prefix = "taskqueue-" + queue + "-";
		if (this.settings.virtualThreads()) {
			SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(prefix);
			executor.setVirtualThreads(true);
			return executor;
		}
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
	}

	/**
	 * Worker settings shared by every container.
	 *
	 * @param concurrency how many tasks of one queue run at once
	 * @param prefetchMultiplier how many messages per running slot a container may hold
	 * @param pollTimeout how long one poll of the broker may block
	 * @param virtualThreads whether tasks run on virtual threads
	 * @param shutdownTimeout how long stopping waits for running tasks
	 */
	public record Settings(int concurrency, int prefetchMultiplier, Duration pollTimeout, boolean virtualThreads,
			Duration shutdownTimeout) {

	}

}
