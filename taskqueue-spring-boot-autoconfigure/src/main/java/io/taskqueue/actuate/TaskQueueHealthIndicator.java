package io.taskqueue.actuate;

import java.time.Duration;

import io.taskqueue.broker.TaskBroker;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.listener.TaskQueueContainer;
import io.taskqueue.result.ResultBackend;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code taskqueue} health indicator: DOWN when the broker or result backend cannot be reached,
 * or when a consumer is stalled (running with free slots but not polling) or cannot consume.
 */
public class TaskQueueHealthIndicator extends AbstractHealthIndicator {

	private final TaskBroker broker;

	private final ResultBackend resultBackend;

	private final @Nullable TaskListenerEndpointRegistry registry;

	private final String probeQueue;

	/**
	 * Create the indicator.
	 * @param broker the broker
	 * @param resultBackend the result backend
	 * @param registry the worker's registry, or {@code null} in a producer-only process
	 * @param probeQueue the queue whose statistics prove the broker reachable
	 */
	public TaskQueueHealthIndicator(TaskBroker broker, ResultBackend resultBackend,
			@Nullable TaskListenerEndpointRegistry registry, String probeQueue) {
		super("taskqueue health check failed");
		this.broker = broker;
		this.resultBackend = resultBackend;
		this.registry = registry;
		this.probeQueue = probeQueue;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.up();
		builder.withDetail("broker", this.broker.getClass().getSimpleName());
		builder.withDetail("queueDepth", this.broker.stats(this.probeQueue).ready());
		this.resultBackend.get("taskqueue-health-probe");
		builder.withDetail("resultBackend", this.resultBackend.getClass().getSimpleName());
		if (this.registry == null) {
			return;
		}
		for (TaskQueueContainer container : this.registry.getContainers()) {
			Duration maxSilence = container.getPollTimeout().multipliedBy(3).plusSeconds(10);
			String problem = (container.getLastError() != null) ? "cannot consume: " + container.getLastError()
					: container.isStalled(maxSilence) ? "stalled: has free slots but has not polled for " + maxSilence
							: null;
			if (problem != null) {
				builder.down().withDetail("consumer." + container.getQueue(), problem);
			}
			else {
				builder.withDetail("consumer." + container.getQueue(), container.isPaused() ? "paused" : "consuming");
			}
		}
	}

}
