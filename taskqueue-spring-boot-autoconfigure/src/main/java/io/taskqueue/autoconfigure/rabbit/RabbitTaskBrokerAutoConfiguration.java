package io.taskqueue.autoconfigure.rabbit;

import java.time.Clock;

import io.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import io.taskqueue.autoconfigure.TaskQueueClock;
import io.taskqueue.autoconfigure.TaskQueueProperties;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.broker.rabbit.DeferringSocketFactory;
import io.taskqueue.broker.rabbit.RabbitQueueOptions;
import io.taskqueue.broker.rabbit.RabbitTaskBroker;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Auto-configuration of the RabbitMQ {@link TaskBroker} ({@code taskqueue.broker.type=rabbit}) on the
 * application's own connection ({@code spring.rabbitmq.*}). Results need a result backend of their
 * own (Redis or in-memory): RabbitMQ is not a result store.
 */
@AutoConfiguration(before = TaskQueueAutoConfiguration.class,
		afterName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration")
@ConditionalOnClass(ConnectionFactory.class)
@ConditionalOnProperty(name = "taskqueue.broker.type", havingValue = "rabbit")
@EnableConfigurationProperties(TaskQueueProperties.class)
public final class RabbitTaskBrokerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(TaskBroker.class)
	RabbitTaskBroker taskBroker(ConnectionFactory connectionFactory, TaskQueueProperties properties,
			@Qualifier(TaskQueueClock.BEAN_NAME) ObjectProvider<Clock> clock) {
		TaskQueueProperties.Rabbit rabbit = properties.getRabbit();
		RabbitQueueOptions options = new RabbitQueueOptions(rabbit.getQueueType(), rabbit.getMaxPriority(),
				rabbit.getQueueVersion());
		RabbitTaskBroker broker = new RabbitTaskBroker(connectionFactory, options, TaskQueueClock.resolve(clock));
		broker.setConfirmTimeout(rabbit.getConfirmTimeout());
		return broker;
	}

	/**
	 * Sockets on which the broker's batches of publishes share writes, for Spring Boot's connection
	 * factory ({@code taskqueue.rabbit.combine-writes}). Applied after the application's own
	 * customizers, so that a socket factory they set is kept.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConnectionFactoryCustomizer.class)
	@ConditionalOnBooleanProperty(name = "taskqueue.rabbit.combine-writes", matchIfMissing = true)
	static final class CombinedWritesConfiguration {

		@Bean
		@Order(Ordered.LOWEST_PRECEDENCE)
		ConnectionFactoryCustomizer taskQueueCombinedWrites() {
			return DeferringSocketFactory::installOn;
		}

	}

}
