package io.taskqueue.autoconfigure.worker;

import java.time.Clock;

import io.micrometer.observation.ObservationRegistry;
import io.taskqueue.annotation.TaskListenerAnnotationBeanPostProcessor;
import io.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import io.taskqueue.autoconfigure.TaskQueueClock;
import io.taskqueue.autoconfigure.TaskQueueProperties;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.cluster.WorkerHeartbeat;
import io.taskqueue.cluster.WorkerRegistry;
import io.taskqueue.core.PatternTaskRouter;
import io.taskqueue.core.TaskRouter;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.core.UniqueKeyResolver;
import io.taskqueue.listener.ListenerUniqueKeys;
import io.taskqueue.listener.TaskContainerFactory;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.listener.TaskMessageProcessor;
import io.taskqueue.listener.WorkerPolicy;
import io.taskqueue.observation.TaskActivity;
import io.taskqueue.observation.TaskEventPublisher;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.ratelimit.InMemoryTaskRateLimiter;
import io.taskqueue.ratelimit.TaskRateLimiter;
import io.taskqueue.result.ResultBackend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the worker: detection of {@code @TaskListener} methods, the endpoint
 * registry that runs one container per queue, and the message processor. Off with
 * {@code taskqueue.worker.enabled=false} for producer-only processes.
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class)
@ConditionalOnProperty(name = "taskqueue.worker.enabled", havingValue = "true", matchIfMissing = true)
public final class TaskWorkerAutoConfiguration {

	static final String REGISTRY_BEAN_NAME = "taskListenerEndpointRegistry";

	@Bean
	static TaskListenerAnnotationBeanPostProcessor taskListenerAnnotationBeanPostProcessor() {
		return new TaskListenerAnnotationBeanPostProcessor(REGISTRY_BEAN_NAME);
	}

	@Bean(REGISTRY_BEAN_NAME)
	@ConditionalOnMissingBean
	TaskListenerEndpointRegistry taskListenerEndpointRegistry(TaskQueueProperties properties,
			ObjectProvider<PatternTaskRouter> routes, ObjectProvider<TaskContainerFactory> containerFactory) {
		PatternTaskRouter configured = routes.getIfAvailable();
		TaskRouter router = (configured != null) ? configured : (taskName) -> null;
		return new TaskListenerEndpointRegistry(properties.getWorker().getQueues(), properties.getDefaultQueue(),
				router, containerFactory);
	}

	@Bean
	@ConditionalOnMissingBean(UniqueKeyResolver.class)
	ListenerUniqueKeys taskQueueListenerUniqueKeys(TaskListenerEndpointRegistry registry) {
		return new ListenerUniqueKeys(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	TaskMessageProcessor taskMessageProcessor(CeleryMessageCodec codec, TaskListenerEndpointRegistry registry,
			TaskBroker broker, ResultBackend resultBackend, TaskEventPublisher events, TaskRateLimiter rateLimiter,
			TaskTemplate template, TaskQueueProperties properties, ObjectProvider<ObservationRegistry> observations,
			@Qualifier(TaskQueueClock.BEAN_NAME) ObjectProvider<Clock> clock) {
		TaskQueueProperties.Worker worker = properties.getWorker();
		WorkerPolicy policy = new WorkerPolicy(worker.isAcksLate(), worker.getMaxDeliveries(), worker.getTimeLimit(),
				worker.getSoftTimeLimit());
		TaskMessageProcessor processor = new TaskMessageProcessor(codec, registry, broker, resultBackend, events, policy,
				rateLimiter, template, TaskQueueClock.resolve(clock));
		observations.ifAvailable(processor::setObservationRegistry);
		return processor;
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerHeartbeat taskQueueWorkerHeartbeat(WorkerRegistry workers, TaskListenerEndpointRegistry registry,
			TaskActivity activity, TaskQueueProperties properties,
			@Qualifier(TaskQueueClock.BEAN_NAME) ObjectProvider<Clock> clock) {
		return new WorkerHeartbeat(workers, registry, activity::finished, properties.getWorker().getHeartbeatInterval(),
				TaskQueueClock.resolve(clock));
	}

	@Bean
	@ConditionalOnMissingBean
	TaskRateLimiter taskRateLimiter(@Qualifier(TaskQueueClock.BEAN_NAME) ObjectProvider<Clock> clock) {
		return new InMemoryTaskRateLimiter(TaskQueueClock.resolve(clock));
	}

	@Bean
	@ConditionalOnMissingBean
	TaskContainerFactory taskContainerFactory(TaskBroker broker, TaskMessageProcessor processor,
			TaskQueueProperties properties, Environment environment,
			@Qualifier(TaskQueueClock.BEAN_NAME) ObjectProvider<Clock> clock) {
		TaskQueueProperties.Worker worker = properties.getWorker();
		TaskContainerFactory.Settings settings = new TaskContainerFactory.Settings(worker.getConcurrency(),
				worker.getPrefetchMultiplier(), worker.getPollTimeout(), Threading.VIRTUAL.isActive(environment),
				worker.getShutdownTimeout());
		return new TaskContainerFactory(broker, processor, settings, TaskQueueClock.resolve(clock));
	}

}
