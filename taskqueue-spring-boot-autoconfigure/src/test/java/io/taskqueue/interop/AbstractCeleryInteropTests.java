package io.taskqueue.interop;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.NodeInfo;
import io.taskqueue.core.TaskState;
import io.taskqueue.core.Signature;
import io.taskqueue.core.TaskFailedException;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.redis.RedisTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * A Spring application and real Python Celery 5.2 workers and producers share queues and results,
 * in both directions and within one workflow. Each broker runs these tests; results are in Redis.
 */
abstract class AbstractCeleryInteropTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	static final String RUN = UUID.randomUUID().toString().substring(0, 8);

	static final String PYTHON_QUEUE = "py-" + RUN;

	static final String JAVA_QUEUE = "java-" + RUN;

	static PythonCelery python;

	static void startPython(String brokerUrl) throws Exception {
		python = new PythonCelery(brokerUrl, "redis://" + RedisTestSupport.host() + ":" + RedisTestSupport.port() + "/"
				+ RedisTestSupport.DATABASE);
		python.startWorker(PYTHON_QUEUE);
	}

	@org.junit.jupiter.api.BeforeEach
	void resetBlockedTasks() {
		JavaTasks.release = new java.util.concurrent.CountDownLatch(1);
	}

	@org.junit.jupiter.api.AfterEach
	void releaseBlockedTasks() {
		JavaTasks.release.countDown();
	}

	@BeforeAll
	static void requirePython() {
		assertThat(PythonCelery.available()).as("Python Celery (python3-celery, python3-redis) is installed").isTrue();
	}

	@AfterAll
	static void stopPython() throws Exception {
		if (python != null) {
			python.close();
		}
	}

	/** Properties that point the Spring application at the same broker as the Python side. */
	protected abstract ApplicationContextRunner withBroker(ApplicationContextRunner runner);

	private ApplicationContextRunner runner() {
		return withBroker(new ApplicationContextRunner().withConfiguration(TaskQueueTestConfigurations.all())
			.withConfiguration(org.springframework.boot.autoconfigure.AutoConfigurations.of(
					io.taskqueue.autoconfigure.redis.RedisRemoteControlAutoConfiguration.class,
					io.taskqueue.autoconfigure.rabbit.RabbitRemoteControlAutoConfiguration.class))
			.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN)
			.withPropertyValues(RedisTestSupport.springProperties())
			.withPropertyValues("taskqueue.result-backend.type=redis", "taskqueue.default-queue=" + JAVA_QUEUE)
			.withBean(JavaTasks.class));
	}

	@Test
	void aJavaSendIsExecutedByAPythonWorker() {
		runner().run((context) -> assertThat(toPython(context, "pyapp.add", 2, 3).get(WAIT)).isEqualTo(5));
	}

	@Test
	void aPythonWorkerReadsTheHeadersAJavaSendLeavesOutAsEmpty() {
		runner().run((context) -> {
			AsyncResult result = toPython(context, "pyapp.request_info");
			@SuppressWarnings("unchecked")
			Map<String, Object> request = result.get(WAIT, Map.class);
			assertThat(request).containsEntry("id", result.id())
				.containsEntry("root_id", result.id())
				.containsEntry("retries", 0)
				.containsEntry("argsrepr", "()");
			for (String empty : List.of("parent_id", "group", "group_index", "timelimit", "eta", "expires", "shadow")) {
				assertThat(request).containsEntry(empty, null);
			}
		});
	}

	@Test
	void aPythonExceptionReachesJavaWithItsTypeAndMessage() {
		runner().run((context) -> assertThatExceptionOfType(TaskFailedException.class)
			.isThrownBy(() -> toPython(context, "pyapp.fail", "bad input").get(WAIT))
			.satisfies((ex) -> {
				assertThat(ex.getRemoteType()).isEqualTo("ValueError");
				assertThat(ex.getRemoteMessage()).isEqualTo("bad input");
				assertThat(ex.getError().module()).isEqualTo("builtins");
				assertThat(ex.getRemoteTraceback()).contains("Traceback");
			}));
	}

	@Test
	void aJavaCountdownRunsOnAPythonWorkerAfterItsDelay() {
		runner().run((context) -> {
			Instant sent = Instant.now();
			AsyncResult result = tasks(context).task("pyapp.add").args(1, 1).queue(PYTHON_QUEUE)
				.countdown(Duration.ofSeconds(2)).send();
			assertThat(result.get(WAIT)).isEqualTo(2);
			assertThat(Duration.between(sent, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
		});
	}

	@Test
	void anExpiredJavaSendIsRevokedByThePythonWorker() {
		runner().run((context) -> assertThatExceptionOfType(TaskFailedException.class)
			.isThrownBy(() -> tasks(context).task("pyapp.add").args(1, 1).queue(PYTHON_QUEUE)
				.expires(Instant.now().minusSeconds(5)).send().get(WAIT))
			.satisfies((ex) -> {
				assertThat(ex.getState()).isEqualTo(TaskState.REVOKED);
				assertThat(ex.getRemoteType()).isEqualTo("TaskRevokedError");
			}));
	}

	@Test
	void aPythonRetryEndsInTheResultJavaWaitsFor() {
		runner().run((context) -> assertThat(toPython(context, "pyapp.flaky", 40).get(WAIT)).isEqualTo(42));
	}

	@Test
	void aPickledMessageFromPythonIsRefusedAndNeverDeserialized() {
		runner().run((context) -> assertThat(python.send("javaapp.add", List.of(2, 3), Map.of(), JAVA_QUEUE, "pickle"))
			.containsEntry("error", "MessageDecodingError")
			.hasEntrySatisfying("message", (message) -> assertThat(message.toString()).contains("pickle")));
	}

	@Test
	void aPythonSendIsExecutedByAJavaListener() {
		runner().run((context) -> assertThat(python.send("javaapp.add", List.of(2, 3), Map.of(), JAVA_QUEUE))
			.containsEntry("result", 5));
	}

	@Test
	void pythonKeywordArgumentsMapToJavaParameterNames() {
		runner().run((context) -> assertThat(python.send("javaapp.add", List.of(), Map.of("y", 3, "x", 2), JAVA_QUEUE))
			.containsEntry("result", 5));
	}

	@Test
	void aJavaExceptionReachesPythonWithItsTypeAndMessage() {
		runner().run((context) -> assertThat(python.send("javaapp.fail", List.of("bad state"), Map.of(), JAVA_QUEUE))
			.containsEntry("error", "IllegalStateException")
			.containsEntry("message", "bad state"));
	}

	@Test
	void aChainAlternatingJavaAndPythonStepsFinishes() {
		runner().run((context) -> {
			AsyncResult result = tasks(context).send(chain(Signature.of("javaapp.add", 1, 2).queue(JAVA_QUEUE),
					Signature.of("pyapp.mul", 10).queue(PYTHON_QUEUE), Signature.of("javaapp.add", 5).queue(JAVA_QUEUE),
					Signature.of("pyapp.add", 100).queue(PYTHON_QUEUE)));
			assertThat(result.get(WAIT)).isEqualTo(135);
		});
	}

	@Test
	void aChordWithPythonMembersCallsBackInJava() {
		runner().run((context) -> {
			AsyncResult result = tasks(context).send(chord(group(Signature.of("pyapp.add", 1, 1).queue(PYTHON_QUEUE),
					Signature.of("pyapp.add", 2, 2).queue(PYTHON_QUEUE)), Signature.of("javaapp.xsum").queue(JAVA_QUEUE)));
			assertThat(result.get(WAIT)).isEqualTo(6);
		});
	}

	@Test
	void aChordWithJavaMembersCallsBackInPython() {
		runner().run((context) -> {
			AsyncResult result = tasks(context).send(chord(group(Signature.of("javaapp.add", 1, 1).queue(JAVA_QUEUE),
					Signature.of("javaapp.add", 2, 2).queue(JAVA_QUEUE)), Signature.of("pyapp.xsum").queue(PYTHON_QUEUE)));
			assertThat(result.get(WAIT)).isEqualTo(6);
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void celeryInspectSeesJavaWorkersTheirTasksAndWhatTheyRun() {
		runner().withPropertyValues("taskqueue.remote-control.enabled=true").run((context) -> {
			String node = NodeInfo.workerName();
			assertThat(python.inspect("ping", node)).containsEntry(node, Map.of("ok", "pong"));
			assertThat((List<Object>) python.inspect("registered", node).get(node)).contains("javaapp.add", "javaapp.block");
			AsyncResult running = tasks(context).task("javaapp.block").queue(JAVA_QUEUE).send();
			await().atMost(WAIT).until(() -> running.state() == TaskState.STARTED);
			List<Map<String, Object>> active = (List<Map<String, Object>>) python.inspect("active", node).get(node);
			assertThat(active).singleElement()
				.satisfies((task) -> assertThat(task).containsEntry("id", running.id()).containsEntry("name", "javaapp.block"));
			JavaTasks.release.countDown();
			assertThat(running.get(WAIT)).isEqualTo("released");
		});
	}

	@Test
	void javaWorkerEventsAreReadableByCeleryEventReceivers() {
		runner().withPropertyValues("taskqueue.events.enabled=true")
			.withConfiguration(org.springframework.boot.autoconfigure.AutoConfigurations.of(
					io.taskqueue.autoconfigure.redis.RedisCeleryEventsAutoConfiguration.class,
					io.taskqueue.autoconfigure.rabbit.RabbitCeleryEventsAutoConfiguration.class))
			.run((context) -> {
				PythonCelery.EventCapture capture = python.captureEvents(6);
				List<String> sent = new java.util.ArrayList<>();
				Instant until = Instant.now().plusSeconds(4);
				while (Instant.now().isBefore(until)) {
					AsyncResult result = tasks(context).task("javaapp.add").args(20, 22).queue(JAVA_QUEUE).send();
					assertThat(result.get(WAIT)).isEqualTo(42);
					sent.add(result.id());
				}
				List<Map<String, Object>> events = capture.events();
				String node = NodeInfo.workerName();
				assertThat(sent).as("a task whose whole lifecycle the receiver saw").anySatisfy((id) -> assertThat(events)
					.filteredOn((event) -> id.equals(event.get("uuid")))
					.extracting((event) -> event.get("type"))
					.contains("task-sent", "task-received", "task-started", "task-succeeded"));
				assertThat(events).filteredOn((event) -> node.equals(event.get("hostname")))
					.extracting((event) -> event.get("type"))
					.contains("worker-heartbeat");
			});
	}

	private static AsyncResult toPython(AssertableApplicationContext context, String task, Object... args) {
		return tasks(context).task(task).args(args).queue(PYTHON_QUEUE).send();
	}

	private static TaskTemplate tasks(AssertableApplicationContext context) {
		return context.getBean(TaskTemplate.class);
	}

	static class JavaTasks {

		@TaskListener("javaapp.add")
		int add(int x, int y) {
			return x + y;
		}

		@TaskListener("javaapp.xsum")
		int xsum(List<Integer> values) {
			return values.stream().mapToInt(Integer::intValue).sum();
		}

		@TaskListener("javaapp.fail")
		void fail(String message) {
			throw new IllegalStateException(message);
		}

		static volatile java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

		@TaskListener("javaapp.block")
		String block() throws InterruptedException {
			release.await(30, java.util.concurrent.TimeUnit.SECONDS);
			return "released";
		}

	}

}
