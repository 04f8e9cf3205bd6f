package io.taskqueue.test.autoconfigure;

import java.time.Clock;

import io.taskqueue.autoconfigure.TaskQueueClock;
import io.taskqueue.autoconfigure.broker.TaskBrokerAutoConfiguration;
import io.taskqueue.beat.BeatScheduler;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.listener.TaskMessageProcessor;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.test.TaskQueueTester;
import io.taskqueue.test.TestClock;
import io.taskqueue.test.TestTaskBroker;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Auto-configuration of taskqueue's test support, active when {@code taskqueue-spring-boot-test}
 * is on the classpath: a {@link TestClock} as the taskqueue clock and, on the in-memory broker or
 * in eager mode, a {@link TestTaskBroker} and a {@link TaskQueueTester}.
 */
@AutoConfiguration(before = TaskBrokerAutoConfiguration.class,
		beforeName = { "io.taskqueue.autoconfigure.redis.RedisTaskBrokerAutoConfiguration",
				"io.taskqueue.autoconfigure.rabbit.RabbitTaskBrokerAutoConfiguration" })
@EnableConfigurationProperties(TaskQueueTestProperties.class)
public final class TaskQueueTestAutoConfiguration {

	@Bean(TaskQueueClock.BEAN_NAME)
	@ConditionalOnMissingBean(name = TaskQueueClock.BEAN_NAME)
	TestClock taskQueueClock() {
		return new TestClock();
	}

	@Bean
	@ConditionalOnMissingBean(TaskBroker.class)
	@Conditional(InMemoryOrEager.class)
	TestTaskBroker taskBroker(@Qualifier(TaskQueueClock.BEAN_NAME) Clock clock, TaskQueueTestProperties properties,
			ObjectProvider<TaskMessageProcessor> processor) {
		if (!properties.isEager()) {
			return new TestTaskBroker(clock, null);
		}
		return new TestTaskBroker(clock, () -> {
			TaskMessageProcessor available = processor.getIfAvailable();
			if (available == null) {
				throw new IllegalStateException("taskqueue.test.eager=true runs tasks through the worker, but the "
						+ "worker is off; remove taskqueue.worker.enabled=false from the test's properties");
			}
			return available;
		});
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(TestTaskBroker.class)
	TaskQueueTester taskQueueTester(TestTaskBroker broker, CeleryMessageCodec codec,
			@Qualifier(TaskQueueClock.BEAN_NAME) Clock clock, ObjectProvider<BeatScheduler> beat) {
		if (!(clock instanceof TestClock testClock)) {
			throw new IllegalStateException("TaskQueueTester needs the '" + TaskQueueClock.BEAN_NAME
					+ "' bean to be a TestClock, but it is a " + clock.getClass().getName());
		}
		return new TaskQueueTester(broker, codec, testClock, beat.getIfAvailable());
	}

	static final class InMemoryOrEager extends AnyNestedCondition {

		InMemoryOrEager() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty(name = "taskqueue.broker.type", havingValue = "in-memory", matchIfMissing = true)
		static final class InMemory {

		}

		@ConditionalOnProperty(name = "taskqueue.test.eager", havingValue = "true")
		static final class Eager {

		}

	}

}
