package io.taskqueue.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.taskqueue.core.NodeInfo;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.listener.TaskQueueContainer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Announces this worker process to the {@link WorkerRegistry} every {@code interval}, with a time
 * to live of three intervals, and withdraws it on a clean shutdown. A worker killed with
 * {@code kill -9} drops out when its last heartbeat expires.
 */
public class WorkerHeartbeat implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(WorkerHeartbeat.class);

	private final WorkerRegistry registry;

	private final TaskListenerEndpointRegistry worker;

	private final LongSupplier processed;

	private final Duration interval;

	private final Clock clock;

	private final String id = NodeInfo.workerName();

	private final Instant startedAt;

	private volatile @Nullable ScheduledExecutorService scheduler;

	/**
	 * Create a heartbeat.
	 * @param registry where heartbeats go
	 * @param worker this process's worker
	 * @param processed how many tasks this process has finished
	 * @param interval how often to beat
	 * @param clock the clock heartbeats are stamped with
	 */
	public WorkerHeartbeat(WorkerRegistry registry, TaskListenerEndpointRegistry worker, LongSupplier processed,
			Duration interval, Clock clock) {
		this.registry = registry;
		this.worker = worker;
		this.processed = processed;
		this.interval = interval;
		this.clock = clock;
		this.startedAt = clock.instant();
	}

	/**
	 * Send one heartbeat now.
	 */
	public void beat() {
		List<String> queues = List.copyOf(this.worker.getQueues());
		List<String> paused = new ArrayList<>();
		int concurrency = 0;
		int active = 0;
		for (TaskQueueContainer container : this.worker.getContainers()) {
			if (container.isPaused()) {
				paused.add(container.getQueue());
			}
			concurrency += container.getSlotCount();
			active += container.getActiveCount();
		}
		WorkerInfo info = new WorkerInfo(this.id, NodeInfo.hostname(), NodeInfo.pid(), queues, concurrency, active,
				this.processed.getAsLong(), paused, this.startedAt, this.clock.instant());
		this.registry.heartbeat(info, this.interval.multipliedBy(3));
	}

	@Override
	public synchronized void start() {
		if (this.scheduler != null) {
			return;
		}
		CustomizableThreadFactory threads = new CustomizableThreadFactory("taskqueue-heartbeat-");
		threads.setDaemon(true);
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(threads);
		executor.scheduleWithFixedDelay(this::beatQuietly, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		this.scheduler = executor;
	}

	private void beatQuietly() {
		try {
			beat();
		}
		catch (RuntimeException ex) {
			logger.warn("Worker heartbeat could not be sent; retrying in " + this.interval + ": " + ex.getMessage());
		}
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService executor = this.scheduler;
		this.scheduler = null;
		if (executor == null) {
			return;
		}
		executor.shutdownNow();
		try {
			this.registry.remove(this.id);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not withdraw the worker heartbeat; it expires on its own", ex);
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		// One below the consumers' phase: withdrawn only after they have stopped.
		return DEFAULT_PHASE - 1;
	}

}
