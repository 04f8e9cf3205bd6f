package io.taskqueue.autoconfigure.metrics;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import io.taskqueue.autoconfigure.TaskQueueProperties;
import io.taskqueue.autoconfigure.worker.TaskWorkerAutoConfiguration;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.observation.metrics.ProducerMetrics;
import io.taskqueue.observation.metrics.QueueMetrics;
import io.taskqueue.observation.metrics.TaskMetrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of taskqueue's Micrometer meters: task counters and queue-wait timers from
 * task events, queue gauges, and the producer's gauge of pending asynchronous sends. Execution and
 * send timers come from the observations when an {@code ObservationRegistry} with a meter handler
 * is present (Spring Boot's default with Actuator).
 */
@AutoConfiguration(after = { TaskQueueAutoConfiguration.class, TaskWorkerAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, TaskBroker.class })
public final class TaskQueueMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TaskMetrics taskQueueTaskMetrics(MeterRegistry registry) {
		return new TaskMetrics(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(TaskTemplate.class)
	ProducerMetrics taskQueueProducerMetrics(TaskTemplate template) {
		return new ProducerMetrics(template);
	}

	@Bean
	@ConditionalOnMissingBean
	QueueMetrics taskQueueQueueMetrics(TaskBroker broker, ObjectProvider<TaskListenerEndpointRegistry> registry,
			TaskQueueProperties properties) {
		return new QueueMetrics(broker, () -> {
			TaskListenerEndpointRegistry worker = registry.getIfAvailable();
			return (worker != null) ? List.copyOf(worker.getQueues()) : List.of(properties.getDefaultQueue());
		}, Duration.ofSeconds(1));
	}

}
