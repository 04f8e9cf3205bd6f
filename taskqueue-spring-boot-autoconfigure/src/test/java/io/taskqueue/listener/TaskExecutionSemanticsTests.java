package io.taskqueue.listener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.broker.inmemory.InMemoryTaskBroker;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.SoftTimeLimitExceeded;
import io.taskqueue.core.TaskContext;
import io.taskqueue.core.TaskFailedException;
import io.taskqueue.core.TaskState;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.observation.TaskEvent;
import io.taskqueue.observation.TaskEventListener;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.TaskError;
import io.taskqueue.result.TaskResult;
import io.taskqueue.result.inmemory.InMemoryResultBackend;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Celery's task-option surface on the in-memory broker: retries, acknowledgement modes, worker loss,
 * the delivery cap, results, progress and time limits.
 */
class TaskExecutionSemanticsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN)
		.withPropertyValues("retry.delay=50ms", "taskqueue.worker.shutdown-timeout=2s")
		.withBean(Tasks.class)
		.withInitializer((context) -> context.addApplicationListener(
				(org.springframework.context.event.ContextClosedEvent event) -> Tasks.release.countDown()));

	@AfterEach
	void releaseBlockedTasks() {
		Tasks.release.countDown();
		Tasks.release = new CountDownLatch(1);
	}

	@Test
	void anAutoRetriedTaskIsRepublishedUntilItSucceeds() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("flaky", 2);
			assertThat(result.get(WAIT)).isEqualTo("ok after 2 retries");
			assertThat(tasks(context).attempts).hasValue(3);
			assertThat(tasks(context).retriesSeen).containsExactly(0, 1, 2);
		});
	}

	@Test
	void afterTheLastRetryTheTaskFailsWithTheOriginalException() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("flaky", 100);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> {
					assertThat(ex.getRemoteType()).isEqualTo("IOException");
					assertThat(ex.getRemoteMessage()).isEqualTo("attempt 3 failed");
				});
			assertThat(tasks(context).attempts).hasValue(3);
		});
	}

	@Test
	void exceptionsThatAreNotRetryableFailAtOnce() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("flaky.excluded");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getRemoteType()).isEqualTo("FileSystemException"));
			assertThat(tasks(context).attempts).hasValue(1);
		});
	}

	@Test
	void anExplicitRetryRecordsRetryWithTheCauseThenRunsAgain() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("explicit.retry");
			await().atMost(WAIT).untilAsserted(() -> {
				TaskResult stored = context.getBean(ResultBackend.class).get(result.id());
				assertThat(stored.state()).isEqualTo(TaskState.RETRY);
				assertThat(stored.error()).isEqualTo(new TaskError("IllegalStateException", "not yet", "java.lang"));
			});
			assertThat(result.get(WAIT)).isEqualTo("second time lucky");
		});
	}

	@Test
	void acksEarlyTasksAreAcknowledgedBeforeTheyRunAndAcksLateOnesAfter() {
		this.runner.run((context) -> {
			InMemoryTaskBroker broker = context.getBean(InMemoryTaskBroker.class);
			template(context).send("blocking.early");
			await().atMost(WAIT).until(() -> Tasks.running.get() == 1);
			assertThat(broker.stats("celery").inFlight()).isZero();
			Tasks.release.countDown();
			await().atMost(WAIT).until(() -> Tasks.running.get() == 0);
			Tasks.release = new CountDownLatch(1);
			template(context).send("blocking.late");
			await().atMost(WAIT).until(() -> Tasks.running.get() == 1);
			assertThat(broker.stats("celery").inFlight()).isEqualTo(1);
		});
	}

	@Test
	void aSucceededTaskIsAcknowledgedWithoutWaitingOnlyWhenItsResultIsInASharedBackend() {
		this.runner.withBean(SettlementRecordingBroker.class).run((context) -> {
			SettlementRecordingBroker broker = context.getBean(SettlementRecordingBroker.class);
			template(context).send("quick").get(WAIT);
			await().atMost(WAIT).until(() -> broker.settlements.size() == 1);
			// the in-memory backend lives in this process: another worker would not find the SUCCESS
			assertThat(broker.settlements).containsExactly("ack");
		});
	}

	@Test
	void onlyASucceededTaskWhoseResultIsStoredIsAcknowledgedWithoutWaiting() {
		this.runner.withBean(SettlementRecordingBroker.class).withBean(SharedResultBackend.class).run((context) -> {
			SettlementRecordingBroker broker = context.getBean(SettlementRecordingBroker.class);
			template(context).send("quick").get(WAIT);
			await().atMost(WAIT).until(() -> broker.settlements.size() == 1);
			template(context).send("quiet");
			await().atMost(WAIT).until(() -> broker.settlements.size() == 2);
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> template(context).send("erroring").get(WAIT));
			await().atMost(WAIT).until(() -> broker.settlements.size() == 3);
			// A lost acknowledgement of "quick" is harmless: its redelivery finds the SUCCESS. Nothing
			// marks "quiet" (no result) or "erroring" (a FAILURE is run again) as done, so they wait.
			assertThat(broker.settlements).containsExactly("ackLater", "ack", "ack");
		});
	}

	@Test
	void aTaskWhoseOutcomeCannotBeStoredYetIsNotRunAgainWhenTheBackendReturns() {
		this.runner.withBean(BackendDownForAWhile.class).run((context) -> {
			AsyncResult result = template(context).send("counted");
			assertThat(result.get(WAIT)).isEqualTo("counted");
			assertThat(context.getBean(BackendDownForAWhile.class).refused.get()).isEqualTo(3);
			await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> tasks(context).attempts.get() == 1);
		});
	}

	@Test
	void aSuccessStoredWithoutWaitingIsAnnouncedOnceItIsStoredAndOnlyThen() {
		this.runner.withBean(HeldStoresBackend.class).withBean(RecordedEvents.class).run((context) -> {
			HeldStoresBackend backend = context.getBean(HeldStoresBackend.class);
			RecordedEvents events = context.getBean(RecordedEvents.class);
			AsyncResult result = template(context).send("quick");
			await().atMost(WAIT).until(() -> backend.held.size() == 1);
			await().during(Duration.ofMillis(300)).atMost(WAIT)
				.until(() -> events.count(result.id(), TaskState.SUCCESS) == 0);
			// a store that fails for good gives the message back: the task runs again
			backend.held.get(0).completeExceptionally(new IllegalStateException("script error"));
			await().atMost(WAIT).until(() -> backend.held.size() == 2);
			backend.held.get(1).complete(null);
			assertThat(result.get(WAIT)).isEqualTo("quick");
			await().atMost(WAIT).until(() -> events.count(result.id(), TaskState.SUCCESS) == 1);
			assertThat(events.count(result.id(), TaskState.RECEIVED)).isEqualTo(2);
		});
	}

	@Test
	void noMoreTasksRunAtOnceThanTheConcurrencyWhateverThePrefetch() {
		this.runner.withPropertyValues("taskqueue.worker.concurrency=2", "taskqueue.worker.prefetch-multiplier=3")
			.run((context) -> {
				List<AsyncResult> results = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					results.add(template(context).send("blocking.late"));
				}
				await().atMost(WAIT).until(() -> Tasks.running.get() == 2);
				await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> Tasks.running.get() == 2);
				Tasks.release.countDown();
				for (AsyncResult result : results) {
					await().atMost(WAIT).until(() -> result.state() == TaskState.SUCCESS);
				}
			});
	}

	@Test
	void aBlockedTaskDoesNotHoldUpTheTasksReceivedWithIt() {
		this.runner.withPropertyValues("taskqueue.worker.concurrency=2", "taskqueue.worker.prefetch-multiplier=4")
			.run((context) -> {
				template(context).send("blocking.late");
				AsyncResult quick = template(context).send("flaky", 0);
				// The blocked task holds its thread until released (or for 10 s, longer than WAIT).
				assertThat(quick.get(WAIT)).isEqualTo("ok after 0 retries");
				await().atMost(WAIT).until(() -> Tasks.running.get() == 1);
			});
	}

	@Test
	void aTaskWhoseWorkerWasLostRunsAgainByDefault() {
		this.runner.run((context) -> {
			template(context).send("blocking.late");
			await().atMost(WAIT).until(() -> Tasks.running.get() == 1);
			context.getBean(InMemoryTaskBroker.class).requeueInFlight();
			await().atMost(WAIT).until(() -> Tasks.running.get() == 2);
		});
	}

	@Test
	void aTaskThatMustNotRunTwiceFailsAsWorkerLostInsteadOfRunningAgain() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("blocking.once");
			await().atMost(WAIT).until(() -> Tasks.running.get() == 1);
			context.getBean(InMemoryTaskBroker.class).requeueInFlight();
			await().atMost(WAIT).untilAsserted(() -> assertThat(context.getBean(ResultBackend.class).get(result.id())
				.error()).extracting(TaskError::type).isEqualTo("WorkerLostError"));
			assertThat(Tasks.running).hasValue(1);
		});
	}

	@Test
	void aMessageDeliveredTooOftenIsDeadLettered() {
		this.runner.withPropertyValues("taskqueue.worker.max-deliveries=2").run((context) -> {
			InMemoryTaskBroker broker = context.getBean(InMemoryTaskBroker.class);
			AsyncResult result = template(context).send("blocking.late");
			for (int delivery = 1; delivery <= 2; delivery++) {
				int expected = delivery;
				await().atMost(WAIT).until(() -> Tasks.running.get() == expected);
				broker.requeueInFlight();
			}
			await().atMost(WAIT).untilAsserted(() -> assertThat(broker.deadLetters("celery", 100)).singleElement()
				.satisfies((letter) -> assertThat(letter.reason()).contains("max-deliveries=2")));
			assertThat(context.getBean(ResultBackend.class).get(result.id()).error().type())
				.isEqualTo("DeliveryLimitExceeded");
		});
	}

	@Test
	void ignoreResultStoresNothingOnSuccess() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("quiet");
			await().atMost(WAIT).until(() -> tasks(context).attempts.get() == 1);
			await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> result.state() == TaskState.PENDING);
		});
	}

	@Test
	void startedIsRecordedWithTheWorkerAndStartTime() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("blocking.late");
			await().atMost(WAIT).until(() -> result.state() == TaskState.STARTED);
			assertThat(((Map<?, ?>) result.info()).keySet()).map(Object::toString).contains("pid", "hostname", "date_started");
		});
	}

	@Test
	void progressIsVisibleThroughInfo() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("progress");
			await().atMost(WAIT).until(() -> Map.of("done", 40).equals(result.info()));
			assertThat(context.getBean(ResultBackend.class).get(result.id()).status()).isEqualTo("PROGRESS");
			Tasks.release.countDown();
			assertThat(result.get(WAIT)).isEqualTo("done");
		});
	}

	@Test
	void theSoftTimeLimitLetsTheTaskCleanUp() {
		this.runner.run((context) -> {
			assertThat(template(context).send("soft").get(WAIT)).isEqualTo("cleaned up after SoftTimeLimitExceeded");
		});
	}

	@Test
	void theHardTimeLimitFailsTheTaskFreesItsSlotAndDropsItsLateResult() {
		this.runner.withPropertyValues("taskqueue.worker.concurrency=1").run((context) -> {
			AsyncResult stuck = template(context).send("stuck");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> stuck.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getRemoteType()).isEqualTo("TimeLimitExceeded"));
			assertThat(template(context).send("quick").get(WAIT)).isEqualTo("quick");
			Tasks.release.countDown();
			await().atMost(WAIT).until(() -> Tasks.stuckReturned.get());
			assertThat(stuck.state()).isEqualTo(TaskState.FAILURE);
		});
	}

	@Test
	void aTaskThatGivesUpOnItsHardTimeLimitKeepsItsSlotUntilItsFailureIsRecorded() {
		this.runner.withBean(HeldFailuresBackend.class)
			.withPropertyValues("taskqueue.worker.concurrency=1")
			.run((context) -> {
				HeldFailuresBackend backend = context.getBean(HeldFailuresBackend.class);
				AsyncResult interrupted = template(context).send("interruptible");
				assertThat(backend.storing.await(10, TimeUnit.SECONDS)).as("the time limit is recording").isTrue();
				await().atMost(WAIT).untilTrue(tasks(context).interrupted);
				AsyncResult quick = template(context).send("quick");
				await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !quick.ready());
				backend.release.countDown();
				assertThat(quick.get(WAIT)).isEqualTo("quick");
				assertThat(interrupted.state()).isEqualTo(TaskState.FAILURE);
			});
	}

	@Test
	void anErrorFailsTheTaskOnceInsteadOfRequeueingItForever() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("erroring");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getRemoteType()).isEqualTo("AssertionError"));
			await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> tasks(context).attempts.get() == 1);
		});
	}

	@Test
	void aResultThatCannotBeWrittenAsJsonFailsTheTaskOnce() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("unwritable");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getRemoteType()).isEqualTo("EncodeError"));
			await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> tasks(context).attempts.get() == 1);
		});
	}

	@Test
	void tasksWithoutTheirOwnLimitGetTheWorkersDefaultTimeLimit() {
		this.runner.withPropertyValues("taskqueue.worker.time-limit=300ms").run((context) -> {
			AsyncResult result = template(context).send("blocking.late");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getRemoteMessage()).isEqualTo("Task exceeded its time limit of PT0.3S"));
		});
	}

	@Test
	void aRevokedTaskIsSkippedByEveryWorker() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((producer) -> {
			AsyncResult result = template(producer).task("quiet").countdown(Duration.ofMillis(300)).send();
			result.revoke();
			assertThat(result.state()).isEqualTo(TaskState.REVOKED);
			assertThat(producer.getBean(ResultBackend.class).isRevoked(result.id())).isTrue();
		});
		this.runner.run((context) -> {
			AsyncResult result = template(context).task("quiet").countdown(Duration.ofMillis(300)).send();
			result.revoke();
			await().atMost(WAIT).until(() -> context.getBean(InMemoryTaskBroker.class).stats("celery").delayed() == 0
					&& context.getBean(InMemoryTaskBroker.class).stats("celery").inFlight() == 0);
			await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> tasks(context).attempts.get() == 0);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getState()).isEqualTo(TaskState.REVOKED));
		});
	}

	@Test
	void revokeWithTerminateInterruptsTheRunningTaskAndDropsItsResult() {
		this.runner.withPropertyValues("stuck.limit=30s").run((context) -> {
			AsyncResult result = template(context).send("stuck");
			await().atMost(WAIT).until(() -> result.state() == TaskState.STARTED);
			result.revoke(true);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> {
					assertThat(ex.getState()).isEqualTo(TaskState.REVOKED);
					assertThat(ex.getRemoteMessage()).isEqualTo("terminated");
				});
			assertThat(template(context).send("quick").get(WAIT)).isEqualTo("quick");
			Tasks.release.countDown();
			await().atMost(WAIT).until(() -> Tasks.stuckReturned.get());
			assertThat(result.state()).isEqualTo(TaskState.REVOKED);
		});
	}

	@Test
	void rateLimitedTasksAreSpacedOutWithoutBlockingOtherTasks() {
		this.runner.run((context) -> {
			List<AsyncResult> limited = new java.util.ArrayList<>();
			for (int i = 0; i < 6; i++) {
				limited.add(template(context).send("limited"));
			}
			assertThat(template(context).send("quick").get(Duration.ofMillis(900))).isEqualTo("quick");
			List<Long> starts = new java.util.ArrayList<>();
			for (AsyncResult result : limited) {
				starts.add(result.get(WAIT, Long.class));
			}
			java.util.Collections.sort(starts);
			for (int i = 1; i < starts.size(); i++) {
				assertThat(starts.get(i) - starts.get(i - 1)).as("ms between executions").isGreaterThanOrEqualTo(180);
			}
		});
	}

	@Test
	void invalidOptionsFailStartupNamingTheAttribute() {
		new ApplicationContextRunner().withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN)
			.withBean(BadTasks.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("BadTasks.bad: invalid timeLimit \"soon\""));
	}

	private static TaskTemplate template(AssertableApplicationContext context) {
		return context.getBean(TaskTemplate.class);
	}

	private static Tasks tasks(AssertableApplicationContext context) {
		return context.getBean(Tasks.class);
	}

	/** Refuses the first three outcomes of task "counted", as a backend out of reach does. */
	static class BackendDownForAWhile extends InMemoryResultBackend {

		final AtomicInteger refused = new AtomicInteger();

		BackendDownForAWhile() {
			super(new JsonMapper(), Duration.ofHours(1), Clock.systemUTC());
		}

		@Override
		public void store(TaskResult result) {
			if ("counted".equals(result.taskName()) && result.state() == TaskState.SUCCESS
					&& this.refused.get() < 3) {
				this.refused.incrementAndGet();
				throw new DataAccessResourceFailureException("result backend out of reach");
			}
			super.store(result);
		}

	}

	/** Stands in for a backend every worker reads, such as Redis. */
	static class SharedResultBackend extends InMemoryResultBackend {

		SharedResultBackend() {
			super(new JsonMapper(), Duration.ofHours(1), Clock.systemUTC());
		}

		@Override
		public boolean isShared() {
			return true;
		}

	}

	/** Holds the recording of a FAILURE of task "interruptible" until the test releases it. */
	static class HeldFailuresBackend extends InMemoryResultBackend {

		final CountDownLatch storing = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		HeldFailuresBackend() {
			super(new JsonMapper(), Duration.ofHours(1), Clock.systemUTC());
		}

		@Override
		public void store(TaskResult result) {
			if ("interruptible".equals(result.taskName()) && result.state() == TaskState.FAILURE) {
				this.storing.countDown();
				try {
					this.release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			super.store(result);
		}

	}

	/** A shared backend whose asynchronous stores complete only when the test completes them. */
	static class HeldStoresBackend extends SharedResultBackend {

		final List<CompletableFuture<@Nullable Void>> held = new CopyOnWriteArrayList<>();

		@Override
		public CompletableFuture<@Nullable Void> storeAsync(TaskResult result) {
			CompletableFuture<@Nullable Void> release = new CompletableFuture<>();
			this.held.add(release);
			return release.thenRun(() -> store(result));
		}

	}

	static class RecordedEvents implements TaskEventListener {

		private final List<TaskEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onEvent(TaskEvent event) {
			this.events.add(event);
		}

		long count(String taskId, TaskState state) {
			return this.events.stream().filter((event) -> event.taskId().equals(taskId) && event.state() == state).count();
		}

	}

	static class SettlementRecordingBroker extends InMemoryTaskBroker {

		final List<String> settlements = new CopyOnWriteArrayList<>();

		@Override
		public void ack(io.taskqueue.broker.Delivery delivery) {
			this.settlements.add("ack");
			super.ack(delivery);
		}

		@Override
		public void ackLater(io.taskqueue.broker.Delivery delivery) {
			this.settlements.add("ackLater");
			super.ack(delivery);
		}

	}

	static class Tasks {

		static volatile CountDownLatch release = new CountDownLatch(1);

		static final AtomicInteger running = new AtomicInteger();

		static final AtomicBoolean stuckReturned = new AtomicBoolean();

		final AtomicInteger attempts = new AtomicInteger();

		final List<Integer> retriesSeen = new CopyOnWriteArrayList<>();

		final AtomicBoolean interrupted = new AtomicBoolean();

		Tasks() {
			running.set(0);
			stuckReturned.set(false);
		}

		@TaskListener(name = "flaky", autoRetryFor = IOException.class, maxRetries = 2,
				defaultRetryDelay = "${retry.delay}")
		String flaky(int failures, TaskContext context) throws IOException {
			int attempt = this.attempts.incrementAndGet();
			this.retriesSeen.add(context.retries());
			if (attempt <= failures) {
				throw new IOException("attempt " + attempt + " failed");
			}
			return "ok after " + context.retries() + " retries";
		}

		@TaskListener(name = "flaky.excluded", autoRetryFor = IOException.class,
				dontAutoRetryFor = java.nio.file.FileSystemException.class, defaultRetryDelay = "10ms")
		String excluded() throws IOException {
			this.attempts.incrementAndGet();
			throw new java.nio.file.FileSystemException("disk gone");
		}

		@TaskListener("explicit.retry")
		String explicitRetry(TaskContext context) {
			if (context.retries() == 0) {
				throw context.retry(new IllegalStateException("not yet"), Duration.ofMillis(400));
			}
			return "second time lucky";
		}

		@TaskListener(name = "blocking.early", acksLate = false)
		void blockingEarly() throws InterruptedException {
			block();
		}

		@TaskListener("blocking.late")
		void blockingLate() throws InterruptedException {
			block();
		}

		@TaskListener(name = "blocking.once", rejectOnWorkerLost = false)
		void blockingOnce() throws InterruptedException {
			block();
		}

		@TaskListener(name = "quiet", ignoreResult = true, trackStarted = false)
		String quiet() {
			this.attempts.incrementAndGet();
			return "nobody reads this";
		}

		@TaskListener("progress")
		String progress(TaskContext context) throws InterruptedException {
			context.updateState("PROGRESS", Map.of("done", 40));
			release.await(10, TimeUnit.SECONDS);
			return "done";
		}

		@TaskListener(name = "soft", softTimeLimit = "200ms", timeLimit = "5s")
		String soft(TaskContext context) {
			try {
				while (true) {
					context.checkSoftTimeLimit();
					Thread.onSpinWait();
				}
			}
			catch (SoftTimeLimitExceeded ex) {
				return "cleaned up after " + ex.getClass().getSimpleName();
			}
		}

		@TaskListener(name = "stuck", timeLimit = "${stuck.limit:300ms}")
		String stuck() {
			while (true) {
				try {
					if (release.await(10, TimeUnit.SECONDS)) {
						stuckReturned.set(true);
						return "too late";
					}
				}
				catch (InterruptedException ex) {
					// a stuck task ignores interruption
				}
			}
		}

		@TaskListener(name = "limited", rateLimit = "5/s")
		long limited() {
			return System.currentTimeMillis();
		}

		@TaskListener(name = "interruptible", timeLimit = "300ms")
		String interruptible() {
			try {
				// blocks until the hard time limit interrupts it: nothing counts this latch down
				new CountDownLatch(1).await(10, TimeUnit.SECONDS);
				return "too late";
			}
			catch (InterruptedException ex) {
				this.interrupted.set(true);
				return "returned when interrupted";
			}
		}

		@TaskListener("quick")
		String quick() {
			return "quick";
		}

		@TaskListener("counted")
		String counted() {
			this.attempts.incrementAndGet();
			return "counted";
		}

		@TaskListener("erroring")
		void erroring() {
			this.attempts.incrementAndGet();
			throw new AssertionError("invariant broken");
		}

		@TaskListener("unwritable")
		SelfReference unwritable() {
			this.attempts.incrementAndGet();
			return new SelfReference();
		}

		private static void block() throws InterruptedException {
			running.incrementAndGet();
			try {
				release.await(10, TimeUnit.SECONDS);
			}
			finally {
				running.decrementAndGet();
			}
		}

	}

	public static class SelfReference {

		public SelfReference getSelf() {
			return this;
		}

	}

	static class BadTasks {

		@TaskListener(name = "bad", timeLimit = "soon")
		void bad() {
		}

	}

}
