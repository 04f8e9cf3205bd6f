package io.taskqueue.canvas;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.broker.Delivery;
import io.taskqueue.broker.inmemory.InMemoryTaskBroker;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.Canvas;
import io.taskqueue.core.GroupResult;
import io.taskqueue.core.Signature;
import io.taskqueue.core.TaskFailedException;
import io.taskqueue.core.TaskState;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.protocol.TaskMessage;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.taskqueue.core.Canvas.chain;
import static io.taskqueue.core.Canvas.chord;
import static io.taskqueue.core.Canvas.group;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Chains, groups, chords, callbacks and errbacks on the in-memory broker.
 */
class CanvasTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN)
		.withBean(MathTasks.class);

	@Test
	void aChainPrependsEachResultToTheNextStepAndReturnsTheLastStepsResult() {
		this.runner.run((context) -> {
			AsyncResult result = tasks(context)
				.send(chain(Signature.of("add", 2, 2), Signature.of("mul", 10), Signature.of("add", 5)));
			assertThat(result.exists()).as("the chain's result is known at once").isTrue();
			assertThat(result.get(WAIT)).isEqualTo(45);
		});
	}

	@Test
	void anImmutableStepDoesNotReceiveThePreviousResult() {
		this.runner.run((context) -> {
			AsyncResult result = tasks(context).send(chain(Signature.of("add", 2, 2), Signature.of("add", 1, 1).immutable()));
			assertThat(result.get(WAIT)).isEqualTo(2);
		});
	}

	@Test
	void aFailureStopsTheChainFailsItAndRunsItsErrbacks() {
		this.runner.run((context) -> {
			AsyncResult result = tasks(context).send(chain(Signature.of("add", 1, 1), Signature.of("boom"),
					Signature.of("mul", 2)).linkError(Signature.of("record.failure")));
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getRemoteMessage()).isEqualTo("boom at 2"));
			await().atMost(WAIT).until(() -> math(context).failures.size() == 1);
			assertThat(math(context).multiplications).hasValue(0);
		});
	}

	@Test
	void aLinkedCallbackReceivesTheResult() {
		this.runner.run((context) -> {
			tasks(context).send(Signature.of("add", 2, 3).link(Signature.of("mul", 10).taskId("callback-1")));
			assertThat(tasks(context).result("callback-1").get(WAIT)).isEqualTo(50);
		});
	}

	@Test
	void aGroupRunsItsMembersAndReturnsTheirResultsInOrder() {
		this.runner.run((context) -> {
			AsyncResult result = tasks(context)
				.send(group(Signature.of("add", 1, 1), Signature.of("add", 2, 2), Signature.of("add", 3, 3)));
			assertThat(result).isInstanceOf(GroupResult.class);
			GroupResult group = (GroupResult) result;
			assertThat(group.get(WAIT)).containsExactly(2, 4, 6);
			assertThat(group.completedCount()).isEqualTo(3);
			assertThat(group.ready()).isTrue();
			assertThat(group.successful()).isTrue();
		});
	}

	@Test
	void aFailingMemberRaisesUnlessFailuresAreCollected() {
		this.runner.run((context) -> {
			GroupResult group = (GroupResult) tasks(context).send(group(Signature.of("add", 1, 1), Signature.of("boom.now")));
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> group.get(WAIT));
			List<Object> joined = group.join(WAIT, false);
			assertThat(joined.get(0)).isEqualTo(2);
			assertThat(joined.get(1)).isInstanceOf(TaskFailedException.class);
			assertThat(group.state()).isEqualTo(TaskState.FAILURE);
		});
	}

	@Test
	void aChordCallbackRunsOnceWithTheResultsInMemberOrder() {
		this.runner.run((context) -> {
			AsyncResult result = tasks(context).send(chord(group(Signature.of("slow.add", 300, 1, 1),
					Signature.of("add", 2, 2), Signature.of("add", 3, 3)), Signature.of("xsum")));
			assertThat(result.get(WAIT)).isEqualTo(12);
			assertThat(math(context).sums).containsExactly(List.of(2, 4, 6));
		});
	}

	@Test
	void aFailingMemberFailsTheChordNamingItAndRunsTheCallbacksErrbacks() {
		this.runner.run((context) -> {
			AsyncResult result = tasks(context).send(chord(group(Signature.of("add", 1, 1), Signature.of("boom.now")),
					Signature.of("xsum").linkError(Signature.of("record.failure"))));
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> {
					assertThat(ex.getRemoteType()).isEqualTo("ChordError");
					assertThat(ex.getRemoteMessage()).startsWith("Dependency ").contains("raised IllegalStateException('boom now')");
				});
			await().atMost(WAIT).until(() -> math(context).failures.size() == 1);
			assertThat(math(context).sums).isEmpty();
		});
	}

	@Test
	void chainsInsideAGroupReturnTheirLastResults() {
		this.runner.run((context) -> {
			GroupResult group = (GroupResult) tasks(context)
				.send(group(chain(Signature.of("add", 1, 1), Signature.of("mul", 10)),
						chain(Signature.of("add", 2, 2), Signature.of("mul", 10))));
			assertThat(group.get(WAIT)).containsExactly(20, 40);
		});
	}

	@Test
	void aGroupFollowedByAStepInAChainBecomesAChord() {
		this.runner.run((context) -> {
			AsyncResult result = tasks(context).send(chain(Signature.of("add", 1, 1),
					group(Signature.of("mul", 2), Signature.of("mul", 3)), Signature.of("xsum")));
			assertThat(result.get(WAIT)).isEqualTo(10);
		});
	}

	@Test
	void aChordWhoseBodyIsAChainRunsTheWholeBody() {
		this.runner.run((context) -> {
			AsyncResult result = tasks(context).send(chord(group(Signature.of("add", 1, 1), Signature.of("add", 2, 2)),
					chain(Signature.of("xsum"), Signature.of("mul", 10))));
			assertThat(result.get(WAIT)).isEqualTo(60);
		});
	}

	@Test
	void aChordWhoseHeaderIsAPlainListAsPythonSendsItRuns() {
		this.runner.run((context) -> {
			Signature chord = Signature.fromWire(Map.of("task", "celery.chord", "subtask_type", "chord", "args", List.of(),
					"options", Map.of(), "immutable", false, "kwargs",
					Map.of("header", List.of(Signature.of("add", 1, 1).toWire(), Signature.of("add", 2, 2).toWire()),
							"body", Signature.of("xsum").toWire(), "kwargs", Map.of())));
			assertThat(tasks(context).send(chord).get(WAIT)).isEqualTo(6);
		});
	}

	@Test
	void aChainInAChordHeaderThatFailsEarlyStillFailsTheChord() {
		this.runner.run((context) -> {
			AsyncResult result = tasks(context).send(chord(group(chain(Signature.of("boom.now"), Signature.of("mul", 2)),
					Signature.of("add", 1, 1)), Signature.of("xsum")));
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getRemoteType()).isEqualTo("ChordError"));
		});
	}

	@Test
	void aMemberThatHitsItsTimeLimitFailsTheChordInsteadOfLeavingItHanging() {
		this.runner.run((context) -> {
			AsyncResult result = tasks(context)
				.send(chord(group(Signature.of("slow.limited"), Signature.of("add", 1, 1)), Signature.of("xsum")));
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getRemoteMessage()).contains("TimeLimitExceeded"));
		});
	}

	@Test
	void aChainsCallbackGetsTheLastStepsResult() {
		this.runner.run((context) -> {
			tasks(context).send(chain(Signature.of("add", 1, 2), Signature.of("mul", 10))
				.link(Signature.of("add", 5).taskId("chain-callback")));
			assertThat(tasks(context).result("chain-callback").get(WAIT)).isEqualTo(35);
		});
	}

	@Test
	void aNestedGroupInAChordHeaderIsRefusedWhenSent() {
		this.runner.run((context) -> assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> tasks(context).send(chord(group(group(Signature.of("add", 1, 1)), Signature.of("add", 2, 2)),
					Signature.of("xsum"))))
			.withMessageContaining("nested groups and chords in a chord header are not supported"));
	}

	@Test
	void onlyAChainsFirstStepIsPublishedWithTheRestReversedInItsEmbed() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			AsyncResult result = tasks(context)
				.send(chain(Signature.of("add", 2, 2), Signature.of("mul", 10), Signature.of("add", 5)));
			InMemoryTaskBroker broker = context.getBean(InMemoryTaskBroker.class);
			List<Delivery> published = broker.poll("celery", 10, Duration.ofSeconds(1));
			assertThat(published).hasSize(1);
			TaskMessage first = context.getBean(CeleryMessageCodec.class).decode(published.get(0).message());
			assertThat(first.task()).isEqualTo("add");
			assertThat(first.embed().chain()).extracting((step) -> step.get("task")).containsExactly("add", "mul");
			Map<?, ?> lastStepOptions = (Map<?, ?>) first.embed().chain().get(0).get("options");
			assertThat(lastStepOptions.get("task_id")).isEqualTo(result.id());
		});
	}

	private static TaskTemplate tasks(AssertableApplicationContext context) {
		return context.getBean(TaskTemplate.class);
	}

	private static MathTasks math(AssertableApplicationContext context) {
		return context.getBean(MathTasks.class);
	}

	static class MathTasks {

		final AtomicInteger multiplications = new AtomicInteger();

		final List<List<Integer>> sums = new CopyOnWriteArrayList<>();

		final List<String> failures = new CopyOnWriteArrayList<>();

		@TaskListener("add")
		int add(int x, int y) {
			return x + y;
		}

		@TaskListener("slow.add")
		int slowAdd(int millis, int x, int y) throws InterruptedException {
			// The task itself is slow: this is the work under test, not a wait for something.
			Thread.sleep(millis);
			return x + y;
		}

		@TaskListener(name = "slow.limited", timeLimit = "200ms")
		int slowLimited() {
			long until = System.nanoTime() + 2_000_000_000L;
			while (System.nanoTime() < until) {
				Thread.onSpinWait();
			}
			return 0;
		}

		@TaskListener("mul")
		int mul(int x, int y) {
			this.multiplications.incrementAndGet();
			return x * y;
		}

		@TaskListener("boom")
		int boom(int previous) {
			throw new IllegalStateException("boom at " + previous);
		}

		@TaskListener("boom.now")
		int boomNow() {
			throw new IllegalStateException("boom now");
		}

		@TaskListener("xsum")
		int xsum(List<Integer> values) {
			this.sums.add(values);
			return values.stream().mapToInt(Integer::intValue).sum();
		}

		@TaskListener("record.failure")
		void recordFailure(String failedTaskId) {
			this.failures.add(failedTaskId);
		}

	}

}
