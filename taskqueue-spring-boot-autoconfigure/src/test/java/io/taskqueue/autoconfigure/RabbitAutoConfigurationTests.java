package io.taskqueue.autoconfigure;

import java.time.Duration;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

import io.taskqueue.autoconfigure.rabbit.RabbitTaskBrokerAutoConfiguration;
import io.taskqueue.broker.inmemory.InMemoryTaskBroker;
import io.taskqueue.broker.rabbit.DeferringSocketFactory;
import io.taskqueue.broker.rabbit.RabbitTaskBroker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class RabbitAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, RabbitTaskBrokerAutoConfiguration.class))
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN)
		.withPropertyValues("taskqueue.worker.enabled=false");

	@Test
	void rabbitIsNeverChosenImplicitly() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(InMemoryTaskBroker.class)
			.doesNotHaveBean(RabbitTaskBroker.class));
	}

	@Test
	void brokerTypeRabbitUsesTheRabbitBroker() {
		this.runner.withPropertyValues("taskqueue.broker.type=rabbit", "taskqueue.rabbit.max-priority=10")
			.run((context) -> {
				assertThat(context).hasSingleBean(RabbitTaskBroker.class).doesNotHaveBean(InMemoryTaskBroker.class);
				assertThat(context.getBean(RabbitTaskBroker.class).capabilities().maxPriority()).isEqualTo(10);
			});
	}

	@Test
	void theConfirmTimeoutComesFromItsProperty() {
		this.runner.withPropertyValues("taskqueue.broker.type=rabbit")
			.run((context) -> assertThat(context.getBean(RabbitTaskBroker.class).getConfirmTimeout())
				.isEqualTo(RabbitTaskBroker.DEFAULT_CONFIRM_TIMEOUT));
		this.runner.withPropertyValues("taskqueue.broker.type=rabbit", "taskqueue.rabbit.confirm-timeout=750ms")
			.run((context) -> assertThat(context.getBean(RabbitTaskBroker.class).getConfirmTimeout())
				.isEqualTo(Duration.ofMillis(750)));
	}

	@Test
	void aConfirmTimeoutUnderAMillisecondFailsStartupNamingTheProperty() {
		assertStartupFails("taskqueue.rabbit.confirm-timeout must be between 1ms and 1d",
				"taskqueue.rabbit.confirm-timeout=0s");
	}

	@Test
	void theBrokersBatchesOfPublishesShareSocketWritesByDefault() {
		this.runner.withPropertyValues("taskqueue.broker.type=rabbit")
			.run((context) -> assertThat(rabbitSocketFactory(context)).isInstanceOf(DeferringSocketFactory.class));
	}

	@Test
	void combineWritesFalseLeavesTheConnectionFactoryAlone() {
		this.runner.withPropertyValues("taskqueue.broker.type=rabbit", "taskqueue.rabbit.combine-writes=false")
			.run((context) -> assertThat(rabbitSocketFactory(context)).isNull());
	}

	@Test
	void tlsConnectionsKeepTheirSockets() {
		this.runner.withPropertyValues("taskqueue.broker.type=rabbit", "spring.rabbitmq.ssl.enabled=true")
			.run((context) -> assertThat(rabbitSocketFactory(context)).isInstanceOf(SSLSocketFactory.class));
	}

	@Test
	void aSocketFactoryOfTheApplicationsOwnCustomizerIsKept() {
		SocketFactory own = SocketFactory.getDefault();
		this.runner.withPropertyValues("taskqueue.broker.type=rabbit")
			.withBean(ConnectionFactoryCustomizer.class, () -> (factory) -> factory.setSocketFactory(own))
			.run((context) -> assertThat(rabbitSocketFactory(context)).isSameAs(own));
	}

	@Test
	void withoutTheRabbitBrokerTheConnectionFactoryIsLeftAlone() {
		this.runner.run((context) -> assertThat(rabbitSocketFactory(context)).isNull());
	}

	private static @Nullable SocketFactory rabbitSocketFactory(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(CachingConnectionFactory.class).getRabbitConnectionFactory().getSocketFactory();
	}

	@Test
	void anUnknownQueueTypeFailsStartupNamingTheProperty() {
		assertStartupFails("taskqueue.rabbit.queue-type must be 'classic' or 'quorum'",
				"taskqueue.rabbit.queue-type=stream");
	}

	@Test
	void aQueueVersionOtherThanOneOrTwoFailsStartupNamingTheProperty() {
		assertStartupFails("taskqueue.rabbit.queue-version must be 1 or 2, got 3", "taskqueue.rabbit.queue-version=3");
	}

	@Test
	void aQueueVersionWithQuorumQueuesFailsStartup() {
		assertStartupFails("applies to classic queues only", "taskqueue.rabbit.queue-type=quorum",
				"taskqueue.rabbit.queue-version=2");
	}

	@Test
	void withoutSpringAmqpStartupExplainsWhatIsMissing() {
		this.runner.withPropertyValues("taskqueue.broker.type=rabbit")
			.withClassLoader(new FilteredClassLoader(ConnectionFactory.class))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("No TaskBroker for taskqueue.broker.type=rabbit")
				.hasMessageContaining("spring-boot-starter-amqp"));
	}

	/**
	 * Start the RabbitMQ broker with the given settings and expect startup to fail with the message.
	 */
	private void assertStartupFails(String message, String... properties) {
		this.runner.withPropertyValues("taskqueue.broker.type=rabbit")
			.withPropertyValues(properties)
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining(message));
	}

}
