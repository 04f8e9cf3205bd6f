package io.taskqueue.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.broker.BrokerException;
import io.taskqueue.broker.Delivery;
import io.taskqueue.broker.QueueStats;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.NodeInfo;
import io.taskqueue.core.TaskState;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.inmemory.InMemoryResultBackend;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class TasksEndpointTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN)
		.withPropertyValues("management.endpoints.web.exposure.include=tasks")
		.withBean(Tasks.class);

	@Test
	void listsRegisteredTasksQueuesConsumersCountsAndRecentTasks() {
		this.runner.run((context) -> {
			AsyncResult result = context.getBean(TaskTemplate.class).send("demo.echo", "hi");
			result.get(Duration.ofSeconds(10));
			TasksEndpoint endpoint = context.getBean(TasksEndpoint.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> endpoint.tasks().counts().get(TaskState.SUCCESS) == 1L);
			TasksEndpointDescriptors.TasksDescriptor tasks = endpoint.tasks();
			assertThat(tasks.registered()).filteredOn((task) -> task.name().equals("demo.echo"))
				.singleElement()
				.satisfies((task) -> {
				assertThat(task.name()).isEqualTo("demo.echo");
				assertThat(task.method()).endsWith("Tasks.echo");
			});
			assertThat(tasks.queues()).extracting(QueueStats::queue).containsExactly("celery");
			assertThat(tasks.consumers()).singleElement().satisfies((consumer) -> {
				assertThat(consumer.queue()).isEqualTo("celery");
				assertThat(consumer.running()).isTrue();
				assertThat(consumer.slots()).isEqualTo(8);
			});
			assertThat(tasks.counts()).containsEntry(TaskState.PENDING, 1L).containsEntry(TaskState.SUCCESS, 1L);
			assertThat(tasks.recent()).first().satisfies((recent) -> {
				assertThat(recent.id()).isEqualTo(result.id());
				assertThat(recent.state()).isEqualTo(TaskState.SUCCESS);
			});
		});
	}

	@Test
	void showsOneTaskAndNothingForAnUnknownId() {
		this.runner.run((context) -> {
			AsyncResult result = context.getBean(TaskTemplate.class).send("demo.echo", "hi");
			result.get(Duration.ofSeconds(10));
			TasksEndpoint endpoint = context.getBean(TasksEndpoint.class);
			TasksEndpointDescriptors.TaskDescriptor task = endpoint.task(result.id());
			assertThat(task.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(task.name()).isEqualTo("demo.echo");
			assertThat(task.result()).isEqualTo("hi");
			assertThat(endpoint.task("nobody-knows")).isNull();
		});
	}

	@Test
	void healthIsUpWhileConsumersConsume() {
		this.runner.run((context) -> {
			Health health = context.getBean(TaskQueueHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("consumer.celery", "consuming");
		});
	}

	@Test
	void healthIsDownWhenTheBrokerCannotBeReached() {
		TaskBroker broker = mock(TaskBroker.class);
		given(broker.stats("celery")).willThrow(new BrokerException("connection refused", new RuntimeException()));
		TaskQueueHealthIndicator indicator = new TaskQueueHealthIndicator(broker,
				new InMemoryResultBackend(new JsonMapper(), Duration.ofMinutes(1), java.time.Clock.systemUTC()), null,
				"celery");
		Health health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsKey("error");
		assertThat(Map.copyOf(health.getDetails()).get("error").toString()).contains("connection refused");
	}

	@Test
	void theWorkerListComesFromHeartbeats() {
		this.runner.run((context) -> {
			TasksEndpoint endpoint = context.getBean(TasksEndpoint.class);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(endpoint.tasks().workers())
				.singleElement()
				.satisfies((worker) -> {
					assertThat(worker.id()).isEqualTo(NodeInfo.workerName());
					assertThat(worker.pid()).isEqualTo(ProcessHandle.current().pid());
					assertThat(worker.queues()).containsExactly("celery");
					assertThat(worker.concurrency()).isEqualTo(8);
				}));
		});
	}

	@Test
	void showsOptionsRunningTasksAndRecentFailuresWithTheirError() {
		this.runner.run((context) -> {
			TaskTemplate template = context.getBean(TaskTemplate.class);
			AsyncResult failed = template.send("demo.fail");
			await().atMost(Duration.ofSeconds(10)).until(failed::ready);
			Tasks tasks = context.getBean(Tasks.class);
			AsyncResult running = template.send("demo.block");
			assertThat(tasks.started.await(10, TimeUnit.SECONDS)).isTrue();
			TasksEndpointDescriptors.TasksDescriptor described = context.getBean(TasksEndpoint.class).tasks();
			assertThat(described.active()).singleElement()
				.satisfies((active) -> assertThat(active.id()).isEqualTo(running.id()));
			assertThat(described.recent()).filteredOn((recent) -> recent.id().equals(failed.id()))
				.singleElement()
				.satisfies((recent) -> assertThat(recent.error().message()).isEqualTo("broken"));
			assertThat(described.registered()).filteredOn((task) -> task.name().equals("demo.fail"))
				.singleElement()
				.satisfies((task) -> assertThat(task.options().maxRetries()).isEqualTo(0));
			tasks.release.countDown();
		});
	}

	@Test
	void revokeThroughTheEndpointStopsAQueuedTask() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			AsyncResult result = context.getBean(TaskTemplate.class).send("demo.echo", "never");
			TasksEndpoint endpoint = context.getBean(TasksEndpoint.class);
			assertThat(endpoint.revoke(result.id(), null).done()).isTrue();
			assertThat(context.getBean(ResultBackend.class).isRevoked(result.id())).isTrue();
		});
	}

	@Test
	void aPausedQueueTakesNoTasksUntilResumedAndHealthSaysSo() {
		this.runner.run((context) -> {
			TasksEndpoint endpoint = context.getBean(TasksEndpoint.class);
			assertThat(endpoint.queue("celery", "pause", null).done()).isTrue();
			assertThat(endpoint.tasks().consumers()).singleElement()
				.satisfies((consumer) -> assertThat(consumer.paused()).isTrue());
			AsyncResult result = context.getBean(TaskTemplate.class).send("demo.echo", "later");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> context.getBean(TaskBroker.class).stats("celery").ready() == 1);
			Health health = context.getBean(TaskQueueHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("consumer.celery", "paused");
			assertThat(result.state()).isEqualTo(TaskState.PENDING);
			assertThat(endpoint.queue("celery", "resume", null).done()).isTrue();
			assertThat(result.get(Duration.ofSeconds(10))).isEqualTo("later");
			assertThat(endpoint.queue("nobody-consumes-this", "pause", null).done()).isFalse();
		});
	}

	@Test
	void requeueMovesADeadLetterBackAndUnknownActionsAreRejected() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			TaskBroker broker = context.getBean(TaskBroker.class);
			AsyncResult result = context.getBean(TaskTemplate.class).send("demo.echo", "dead");
			Delivery delivery = broker.poll("celery", 1, Duration.ofSeconds(5)).get(0);
			broker.deadLetter(delivery, "test");
			TasksEndpoint endpoint = context.getBean(TasksEndpoint.class);
			assertThat(endpoint.queue("celery", "requeue", result.id()).done()).isTrue();
			assertThat(broker.stats("celery").ready()).isEqualTo(1);
			assertThat(endpoint.queue("celery", "requeue", result.id()).done()).isFalse();
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.queue("celery", "requeue", null));
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.queue("celery", "explode", null))
				.withMessageContaining("pause, resume or requeue");
		});
	}

	static class Tasks {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@TaskListener("demo.echo")
		String echo(String text) {
			return text;
		}

		@TaskListener(name = "demo.fail", maxRetries = 0)
		void fail() {
			throw new IllegalStateException("broken");
		}

		@TaskListener("demo.block")
		void block() throws InterruptedException {
			this.started.countDown();
			this.release.await(10, TimeUnit.SECONDS);
		}

	}

}
