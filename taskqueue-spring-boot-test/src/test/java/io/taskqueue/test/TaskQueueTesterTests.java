package io.taskqueue.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import io.taskqueue.autoconfigure.beat.BeatAutoConfiguration;
import io.taskqueue.autoconfigure.broker.TaskBrokerAutoConfiguration;
import io.taskqueue.autoconfigure.result.ResultBackendAutoConfiguration;
import io.taskqueue.autoconfigure.worker.TaskWorkerAutoConfiguration;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskContext;
import io.taskqueue.core.TaskState;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.test.autoconfigure.TaskQueueTestAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The test support as a user's test would drive it: eager mode in the caller's thread, the worker on
 * the in-memory broker with waiting for idle, sent-task assertions and the movable clock.
 */
class TaskQueueTesterTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueTestAutoConfiguration.class,
				TaskBrokerAutoConfiguration.class, ResultBackendAutoConfiguration.class,
				TaskQueueAutoConfiguration.class, TaskWorkerAutoConfiguration.class, BeatAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.poll-timeout=100ms")
		.withUserConfiguration(Tasks.class);

	@Test
	void eagerModeRunsTheTaskInTheSendingThreadBeforeSendReturns() {
		this.runner.withPropertyValues("taskqueue.test.eager=true").run((context) -> {
			AsyncResult result = template(context).send("greet", "Ada");
			assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(result.get(Duration.ZERO)).isEqualTo("Hello, Ada");
			assertThat(tasks(context).threads).containsExactly(Thread.currentThread().getName());
			assertThat(tester(context).isEager()).isTrue();
		});
	}

	@Test
	void sentTasksRecordNameArgumentsAndOptions() {
		this.runner.withPropertyValues("taskqueue.test.eager=true").run((context) -> {
			template(context).task("greet").args("Ada").header("tenant", "acme").priority(3).queue("mail").send();
			assertThat(tester(context).sent("greet")).singleElement().satisfies((sent) -> {
				assertThat(sent.arg(0, String.class)).isEqualTo("Ada");
				assertThat(sent.queue()).isEqualTo("mail");
				assertThat(sent.priority()).isEqualTo(3);
				assertThat(sent.headers()).containsEntry("tenant", "acme");
				assertThat(sent.eta()).isNull();
			});
			assertThat(tester(context).sent("other")).isEmpty();
		});
	}

	@Test
	void eagerCountdownWaitsForTheClock() {
		this.runner.withPropertyValues("taskqueue.test.eager=true").run((context) -> {
			AsyncResult result = template(context).task("greet").args("Ada").countdown(Duration.ofMinutes(10)).send();
			assertThat(result.state()).isEqualTo(TaskState.PENDING);
			tester(context).advanceClock(Duration.ofMinutes(9));
			assertThat(result.state()).isEqualTo(TaskState.PENDING);
			tester(context).advanceClock(Duration.ofMinutes(1));
			assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(tester(context).sent("greet").get(0).eta()).isNotNull();
		});
	}

	@Test
	void eagerRetryRunsAgainWhenTheClockPassesTheBackOff() {
		this.runner.withPropertyValues("taskqueue.test.eager=true").run((context) -> {
			AsyncResult result = template(context).send("flaky");
			assertThat(result.state()).isEqualTo(TaskState.RETRY);
			tester(context).advanceClock(Duration.ofSeconds(30));
			assertThat(result.get(Duration.ZERO)).isEqualTo("ok after 2");
			assertThat(tester(context).sent("flaky")).extracting(SentTask::retries).containsExactly(0, 1);
		});
	}

	@Test
	void eagerTasksSentByATaskRunInsideIt() {
		this.runner.withPropertyValues("taskqueue.test.eager=true").run((context) -> {
			template(context).send("fan.out", 3);
			assertThat(tester(context).sent("greet")).hasSize(3);
			assertThat(tasks(context).threads).hasSize(3).containsOnly(Thread.currentThread().getName());
		});
	}

	@Test
	void withoutEagerModeTheWorkerRunsTasksAndAwaitIdleWaitsForThem() {
		this.runner.run((context) -> {
			List<AsyncResult> results = new java.util.ArrayList<>();
			for (int i = 0; i < 20; i++) {
				results.add(template(context).send("greet", "n" + i));
			}
			tester(context).awaitIdle();
			assertThat(results).allSatisfy((result) -> assertThat(result.state()).isEqualTo(TaskState.SUCCESS));
			assertThat(tasks(context).threads).hasSize(20).doesNotContain(Thread.currentThread().getName());
			assertThat(tester(context).isEager()).isFalse();
		});
	}

	@Test
	void awaitIdleFailsWithTheQueueCountsWhenWorkIsLeft() {
		this.runner.run((context) -> {
			Tasks tasks = tasks(context);
			template(context).send("block");
			assertThat(tasks.blocking.await(10, TimeUnit.SECONDS)).isTrue();
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> tester(context).awaitIdle(Duration.ofMillis(200)))
				.withMessageContaining("celery=QueueStats[queue=celery, ready=0, delayed=0, inFlight=1");
			tasks.release.countDown();
			tester(context).awaitIdle();
		});
	}

	@Test
	void delayedTasksDoNotHoldUpAwaitIdleAndRunWhenTheClockReachesThem() {
		this.runner.run((context) -> {
			AsyncResult later = template(context).task("greet").args("later").countdown(Duration.ofHours(1)).send();
			AsyncResult now = template(context).send("greet", "now");
			tester(context).awaitIdle();
			assertThat(now.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(later.state()).isEqualTo(TaskState.PENDING);
			tester(context).advanceClock(Duration.ofHours(1));
			tester(context).awaitIdle();
			assertThat(later.state()).isEqualTo(TaskState.SUCCESS);
		});
	}

	@Test
	void advancingTheClockFiresBeatEntries() {
		this.runner
			.withPropertyValues("taskqueue.test.eager=true", "taskqueue.beat.enabled=true",
					"taskqueue.beat.schedule.hourly.task=greet", "taskqueue.beat.schedule.hourly.every=1h",
					"taskqueue.beat.schedule.hourly.args[0]=beat")
			.run((context) -> {
				TaskQueueTester tester = tester(context);
				tester.advanceClock(Duration.ZERO);
				assertThat(tester.sent("greet")).isEmpty();
				tester.advanceClock(Duration.ofHours(1));
				assertThat(tester.sent("greet")).singleElement()
					.satisfies((sent) -> assertThat(sent.arg(0, String.class)).isEqualTo("beat"));
				assertThat(tasks(context).threads).hasSize(1);
			});
	}

	@Test
	void resetForgetsWhatWasSentAndDropsQueuedTasks() {
		this.runner.run((context) -> {
			TaskQueueTester tester = tester(context);
			template(context).task("greet").args("later").countdown(Duration.ofHours(1)).send();
			tester.advanceClock(Duration.ofMinutes(5));
			tester.reset();
			assertThat(tester.sent()).isEmpty();
			assertThat(tester.clock().offset()).isZero();
			tester.advanceClock(Duration.ofHours(2));
			tester.awaitIdle();
			assertThat(tasks(context).threads).isEmpty();
		});
	}

	private static TaskTemplate template(AssertableApplicationContext context) {
		return context.getBean(TaskTemplate.class);
	}

	private static TaskQueueTester tester(AssertableApplicationContext context) {
		return context.getBean(TaskQueueTester.class);
	}

	private static Tasks tasks(AssertableApplicationContext context) {
		return context.getBean(Tasks.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class Tasks {

		final List<String> threads = new CopyOnWriteArrayList<>();

		final AtomicInteger flakyCalls = new AtomicInteger();

		final CountDownLatch blocking = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		private final ObjectProvider<TaskTemplate> template;

		Tasks(ObjectProvider<TaskTemplate> template) {
			this.template = template;
		}

		@TaskListener("greet")
		String greet(String name) {
			this.threads.add(Thread.currentThread().getName());
			return "Hello, " + name;
		}

		@TaskListener("flaky")
		String flaky(TaskContext context) {
			int call = this.flakyCalls.incrementAndGet();
			if (call == 1) {
				throw context.retry(new IllegalStateException("not yet"), Duration.ofSeconds(30));
			}
			return "ok after " + call;
		}

		@TaskListener("block")
		void block() throws InterruptedException {
			this.blocking.countDown();
			this.release.await(10, TimeUnit.SECONDS);
		}

		@TaskListener("fan.out")
		void fanOut(int count) {
			for (int i = 0; i < count; i++) {
				this.template.getObject().send("greet", "n" + i);
			}
		}

	}

}
