package io.taskqueue.autoconfigure;

import io.taskqueue.autoconfigure.rabbit.RabbitTaskBrokerAutoConfiguration;
import io.taskqueue.broker.inmemory.InMemoryTaskBroker;
import io.taskqueue.broker.rabbit.RabbitTaskBroker;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
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
	void anUnknownQueueTypeFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("taskqueue.broker.type=rabbit", "taskqueue.rabbit.queue-type=stream")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("taskqueue.rabbit.queue-type must be 'classic' or 'quorum'"));
	}

	@Test
	void aQueueVersionOtherThanOneOrTwoFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("taskqueue.broker.type=rabbit", "taskqueue.rabbit.queue-version=3")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("taskqueue.rabbit.queue-version must be 1 or 2, got 3"));
	}

	@Test
	void aQueueVersionWithQuorumQueuesFailsStartup() {
		this.runner
			.withPropertyValues("taskqueue.broker.type=rabbit", "taskqueue.rabbit.queue-type=quorum",
					"taskqueue.rabbit.queue-version=2")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("applies to classic queues only"));
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

}
