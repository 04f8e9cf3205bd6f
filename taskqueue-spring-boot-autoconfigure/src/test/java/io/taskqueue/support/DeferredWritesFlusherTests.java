package io.taskqueue.support;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.broker.inmemory.InMemoryTaskBroker;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.result.inmemory.InMemoryResultBackend;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the broker and the result backend queued to send later goes out when the application stops:
 * after the workers stopped, before the connections close (where a connection factory's own
 * lifecycle stops), not in a bean's destroy method, which runs after both.
 */
class DeferredWritesFlusherTests {

	private static final List<String> events = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN);

	@Test
	void queuedWritesAreSentAfterTheWorkersStopAndBeforeTheConnectionsClose() {
		events.clear();
		this.runner.withBean(FlushRecordingBroker.class)
			.withBean(FlushRecordingBackend.class)
			.withBean(ConnectionFactoryLifecycle.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(DeferredWritesFlusher.class);
				assertThat(context.getBean(TaskListenerEndpointRegistry.class).isRunning()).isTrue();
			});
		assertThat(events).containsExactly("broker flushed, workers running: false",
				"backend flushed, workers running: false", "connections closed");
	}

	static class FlushRecordingBroker extends InMemoryTaskBroker {

		private final ObjectProvider<TaskListenerEndpointRegistry> workers;

		FlushRecordingBroker(ObjectProvider<TaskListenerEndpointRegistry> workers) {
			this.workers = workers;
		}

		@Override
		public void flush() {
			events.add("broker flushed, workers running: " + this.workers.getObject().isRunning());
		}

	}

	static class FlushRecordingBackend extends InMemoryResultBackend {

		private final ObjectProvider<TaskListenerEndpointRegistry> workers;

		FlushRecordingBackend(ObjectProvider<TaskListenerEndpointRegistry> workers) {
			super(new JsonMapper(), Duration.ofHours(1), Clock.systemUTC());
			this.workers = workers;
		}

		@Override
		public void flush() {
			events.add("backend flushed, workers running: " + this.workers.getObject().isRunning());
		}

	}

	/** Stops where Lettuce's connection factory does (phase 0). */
	static class ConnectionFactoryLifecycle implements SmartLifecycle {

		private volatile boolean running;

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
			events.add("connections closed");
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return 0;
		}

	}

}
