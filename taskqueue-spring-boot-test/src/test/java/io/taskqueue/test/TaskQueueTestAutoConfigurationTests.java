package io.taskqueue.test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import io.taskqueue.autoconfigure.TaskQueueClock;
import io.taskqueue.autoconfigure.broker.TaskBrokerAutoConfiguration;
import io.taskqueue.autoconfigure.result.ResultBackendAutoConfiguration;
import io.taskqueue.autoconfigure.worker.TaskWorkerAutoConfiguration;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.broker.inmemory.InMemoryTaskBroker;
import io.taskqueue.core.TaskPublishException;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.test.autoconfigure.TaskQueueTestAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * When the test support steps in and when it stays out of the way.
 */
class TaskQueueTestAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueTestAutoConfiguration.class,
				TaskBrokerAutoConfiguration.class, ResultBackendAutoConfiguration.class,
				TaskQueueAutoConfiguration.class, TaskWorkerAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.poll-timeout=100ms");

	@Test
	void onTheInMemoryBrokerTheTestBrokerTesterAndClockAreThere() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(TaskBroker.class).hasSingleBean(TaskQueueTester.class);
			assertThat(context.getBean(TaskBroker.class)).isInstanceOf(TestTaskBroker.class);
			assertThat(context.getBean(TaskQueueClock.BEAN_NAME)).isInstanceOf(TestClock.class);
			assertThat(context.getBean(TaskQueueTester.class).isEager()).isFalse();
		});
	}

	@Test
	void anApplicationsOwnBrokerWins() {
		this.runner.withUserConfiguration(OwnBroker.class).run((context) -> {
			assertThat(context.getBean(TaskBroker.class)).isNotInstanceOf(TestTaskBroker.class);
			assertThat(context).doesNotHaveBean(TaskQueueTester.class);
		});
	}

	@Test
	void eagerModeReplacesAConfiguredRealBroker() {
		this.runner.withPropertyValues("taskqueue.broker.type=rabbit", "taskqueue.test.eager=true").run((context) -> {
			assertThat(context.getBean(TaskBroker.class)).isInstanceOf(TestTaskBroker.class);
			assertThat(context.getBean(TaskQueueTester.class).isEager()).isTrue();
		});
	}

	@Test
	void aRealBrokerWithoutEagerModeGetsNoTester() {
		this.runner.withPropertyValues("taskqueue.broker.type=rabbit")
			.withUserConfiguration(OwnBroker.class)
			.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueTester.class));
	}

	@Test
	void anApplicationClockOfAnotherNameIsLeftAlone() {
		this.runner.withUserConfiguration(ApplicationClock.class).run((context) -> {
			assertThat(context.getBean(TaskQueueClock.BEAN_NAME)).isInstanceOf(TestClock.class);
			assertThat(context.getBean("applicationClock")).isNotInstanceOf(TestClock.class);
		});
	}

	@Test
	void eagerModeWithTheWorkerOffSaysHowToFixIt() {
		this.runner.withPropertyValues("taskqueue.test.eager=true", "taskqueue.worker.enabled=false")
			.run((context) -> assertThatExceptionOfType(TaskPublishException.class)
				.isThrownBy(() -> context.getBean(TaskTemplate.class).send("any"))
				.withMessageContaining("remove taskqueue.worker.enabled=false"));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBroker {

		@Bean
		InMemoryTaskBroker ownBroker() {
			return new InMemoryTaskBroker();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationClock {

		@Bean
		Clock applicationClock() {
			return Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC);
		}

	}

}
