package io.taskqueue.autoconfigure.endpoint;

import io.taskqueue.actuate.TasksEndpoint;
import io.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import io.taskqueue.autoconfigure.TaskQueueProperties;
import io.taskqueue.autoconfigure.beat.BeatAutoConfiguration;
import io.taskqueue.autoconfigure.worker.TaskWorkerAutoConfiguration;
import io.taskqueue.beat.BeatScheduler;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.cluster.WorkerRegistry;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.listener.TaskMessageProcessor;
import io.taskqueue.observation.TaskActivity;
import io.taskqueue.result.ResultBackend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code tasks} Actuator endpoint.
 */
@AutoConfiguration(after = { TaskQueueAutoConfiguration.class, TaskWorkerAutoConfiguration.class,
		BeatAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(TaskBroker.class)
@ConditionalOnAvailableEndpoint(TasksEndpoint.class)
public final class TasksEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TasksEndpoint tasksEndpoint(TaskTemplate tasks, WorkerRegistry workers, TaskBroker broker, ResultBackend resultBackend,
			ObjectProvider<TaskListenerEndpointRegistry> registry, TaskActivity activity,
			TaskQueueProperties properties, ObjectProvider<BeatScheduler> beat,
			ObjectProvider<TaskMessageProcessor> processor) {
		return new TasksEndpoint(tasks, workers, broker, resultBackend, registry.getIfAvailable(), activity,
				properties.getDefaultQueue(), beat.getIfAvailable(), processor.getIfAvailable());
	}

}
