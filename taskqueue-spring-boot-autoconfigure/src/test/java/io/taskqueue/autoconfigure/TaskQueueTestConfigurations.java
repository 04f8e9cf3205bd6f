package io.taskqueue.autoconfigure;

import io.taskqueue.autoconfigure.beat.BeatAutoConfiguration;
import io.taskqueue.autoconfigure.broker.TaskBrokerAutoConfiguration;
import io.taskqueue.autoconfigure.endpoint.TasksEndpointAutoConfiguration;
import io.taskqueue.autoconfigure.health.TaskQueueHealthContributorAutoConfiguration;
import io.taskqueue.autoconfigure.result.ResultBackendAutoConfiguration;
import io.taskqueue.autoconfigure.worker.TaskWorkerAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;

/**
 * The auto-configurations tests load, as an application with the starter would.
 */
public final class TaskQueueTestConfigurations {

	/** Consumers poll briefly, so that closing a test's context does not wait a full second. */
	public static final String FAST_SHUTDOWN = "taskqueue.worker.poll-timeout=100ms";

	private TaskQueueTestConfigurations() {
	}

	public static AutoConfigurations all() {
		return AutoConfigurations.of(JacksonAutoConfiguration.class, TaskBrokerAutoConfiguration.class,
				ResultBackendAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskWorkerAutoConfiguration.class, BeatAutoConfiguration.class, TasksEndpointAutoConfiguration.class,
				TaskQueueHealthContributorAutoConfiguration.class);
	}

}
