package io.taskqueue.autoconfigure.health;

import io.taskqueue.actuate.TaskQueueHealthIndicator;
import io.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import io.taskqueue.autoconfigure.TaskQueueProperties;
import io.taskqueue.autoconfigure.worker.TaskWorkerAutoConfiguration;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.result.ResultBackend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code taskqueue} health indicator.
 */
@AutoConfiguration(after = { TaskQueueAutoConfiguration.class, TaskWorkerAutoConfiguration.class })
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({ TaskBroker.class, ResultBackend.class })
@ConditionalOnEnabledHealthIndicator("taskqueue")
public final class TaskQueueHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "taskqueueHealthIndicator")
	TaskQueueHealthIndicator taskqueueHealthIndicator(TaskBroker broker, ResultBackend resultBackend,
			ObjectProvider<TaskListenerEndpointRegistry> registry, TaskQueueProperties properties) {
		return new TaskQueueHealthIndicator(broker, resultBackend, registry.getIfAvailable(),
				properties.getDefaultQueue());
	}

}
