package io.taskqueue.autoconfigure;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.micrometer.observation.ObservationRegistry;
import io.taskqueue.autoconfigure.broker.TaskBrokerAutoConfiguration;
import io.taskqueue.autoconfigure.result.ResultBackendAutoConfiguration;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.cluster.InMemoryWorkerRegistry;
import io.taskqueue.cluster.WorkerRegistry;
import io.taskqueue.core.KnownQueues;
import io.taskqueue.core.PatternTaskRouter;
import io.taskqueue.core.PublishScheduler;
import io.taskqueue.core.TaskRouter;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.core.UniqueKeyResolver;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.observation.TaskActivity;
import io.taskqueue.observation.TaskEventListener;
import io.taskqueue.observation.TaskEventPublisher;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.support.DeferredWritesFlusher;
import io.taskqueue.transaction.TransactionAwarePublishScheduler;
import io.taskqueue.unique.UniqueTaskLocks;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of taskqueue's producer side: codec, routing, events and the
 * {@link TaskTemplate}. Brokers, result backends and the worker have their own auto-configurations.
 */
@AutoConfiguration(after = { TaskBrokerAutoConfiguration.class, ResultBackendAutoConfiguration.class },
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@EnableConfigurationProperties(TaskQueueProperties.class)
public final class TaskQueueAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CeleryMessageCodec taskQueueMessageCodec(ObjectProvider<JsonMapper> jsonMapper, TaskQueueProperties properties) {
		JsonMapper mapper = jsonMapper.getIfAvailable(JsonMapper::new);
		return new CeleryMessageCodec(mapper, properties.getWorker().getMaxMessageSize().toBytes(),
				properties.getProducer().isEmptyHeaders(), properties.getProducer().getDeliveryMode());
	}

	@Bean
	@ConditionalOnMissingBean
	PatternTaskRouter taskQueueRoutes(TaskQueueProperties properties) {
		return new PatternTaskRouter(properties.getRoutes());
	}

	@Bean
	@ConditionalOnMissingBean
	TaskActivity taskQueueActivity() {
		return new TaskActivity(100);
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerRegistry taskQueueWorkerRegistry(@Qualifier(TaskQueueClock.BEAN_NAME) ObjectProvider<Clock> clock) {
		return new InMemoryWorkerRegistry(TaskQueueClock.resolve(clock));
	}

	@Bean
	@ConditionalOnMissingBean
	TaskEventPublisher taskQueueEventPublisher(ObjectProvider<TaskEventListener> listeners) {
		return new TaskEventPublisher(listeners.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	TaskTemplate taskTemplate(ObjectProvider<TaskBroker> broker, ObjectProvider<ResultBackend> resultBackend,
			CeleryMessageCodec codec, ObjectProvider<TaskRouter> routers, TaskEventPublisher events,
			ObjectProvider<PublishScheduler> publishScheduler, ObjectProvider<UniqueTaskLocks> uniqueTaskLocks,
			ObjectProvider<UniqueKeyResolver> uniqueKeyResolver, ObjectProvider<ObservationRegistry> observations,
			ObjectProvider<TaskListenerEndpointRegistry> workers, TaskQueueProperties properties,
			@Qualifier(TaskQueueClock.BEAN_NAME) ObjectProvider<Clock> clock) {
		List<TaskRouter> ordered = routers.orderedStream().toList();
		TaskTemplate template = new TaskTemplate(MissingInfrastructure.broker(broker, properties),
				MissingInfrastructure.resultBackend(resultBackend, properties), codec, ordered,
				properties.getDefaultQueue(), events, TaskQueueClock.resolve(clock));
		template.setRevocationTimeToLive(properties.getResultBackend().getExpires());
		template.setPendingSendsLimit(properties.getProducer().getMaxPendingSends(),
				properties.getProducer().getPendingSendsWait());
		publishScheduler.ifAvailable(template::setPublishScheduler);
		uniqueTaskLocks.ifAvailable(template::setUniqueTaskLocks);
		uniqueKeyResolver.ifAvailable(template::setUniqueKeyResolver);
		observations.ifAvailable(template::setObservationRegistry);
		template.setKnownQueues(knownQueues(properties, workers));
		return template;
	}

	private static KnownQueues knownQueues(TaskQueueProperties properties,
			ObjectProvider<TaskListenerEndpointRegistry> workers) {
		Set<String> configured = new HashSet<>();
		configured.add(properties.getDefaultQueue());
		configured.addAll(properties.getRoutes().values());
		configured.addAll(properties.getProducer().getQueues());
		configured.addAll(properties.getWorker().getQueues());
		return new KnownQueues(configured, () -> {
			TaskListenerEndpointRegistry registry = workers.getIfAvailable();
			return (registry != null) ? registry.getQueues() : Set.of();
		}, properties.getProducer().getUnknownQueue());
	}

	@Bean
	DeferredWritesFlusher taskQueueDeferredWritesFlusher(ObjectProvider<TaskBroker> broker,
			ObjectProvider<ResultBackend> resultBackend) {
		return new DeferredWritesFlusher(broker.getIfAvailable(), resultBackend.getIfAvailable());
	}

	@Bean
	static InMemoryDefaultsReporter taskQueueInMemoryDefaultsReporter(ObjectProvider<TaskBroker> broker,
			ObjectProvider<ResultBackend> resultBackend) {
		return new InMemoryDefaultsReporter(broker, resultBackend);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.transaction.support.TransactionSynchronizationManager")
	static class TransactionalPublishingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PublishScheduler taskQueuePublishScheduler(TaskQueueProperties properties) {
			return new TransactionAwarePublishScheduler(properties.getProducer().getTransactional());
		}

	}

}
