package io.taskqueue.autoconfigure.broker;

import java.time.Clock;

import io.taskqueue.autoconfigure.TaskQueueClock;
import io.taskqueue.autoconfigure.TaskQueueProperties;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.broker.inmemory.InMemoryTaskBroker;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the in-memory {@link TaskBroker}, the default when
 * {@code taskqueue.broker.type} is not set. Redis and RabbitMQ have their own auto-configurations.
 */
@AutoConfiguration
@EnableConfigurationProperties(TaskQueueProperties.class)
public final class TaskBrokerAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "taskqueue.broker.type", havingValue = "in-memory", matchIfMissing = true)
	static class InMemoryBrokerConfiguration {

		@Bean
		@ConditionalOnMissingBean(TaskBroker.class)
		InMemoryTaskBroker taskBroker(@Qualifier(TaskQueueClock.BEAN_NAME) ObjectProvider<Clock> clock) {
			return new InMemoryTaskBroker(TaskQueueClock.resolve(clock));
		}

	}

}
