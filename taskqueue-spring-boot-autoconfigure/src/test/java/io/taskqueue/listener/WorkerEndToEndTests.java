package io.taskqueue.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.inmemory.InMemoryTaskBroker;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskContext;
import io.taskqueue.core.TaskFailedException;
import io.taskqueue.core.TaskState;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.core.TaskTimeoutException;
import io.taskqueue.protocol.WireMessage;
import io.taskqueue.protocol.WireProperties;
import io.taskqueue.result.ResultBackend;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A task travels producer -> in-memory broker -> worker -> result backend inside one context, as in
 * the sample's default setup; bad input fails the task (or is dead-lettered) and the worker goes on.
 */
class WorkerEndToEndTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN)
		.withUserConfiguration(Tasks.class);

	@Test
	void positionalArgumentsRunTheTaskAndTheResultComesBack() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("math.add", 2, 3);
			assertThat(result.get(WAIT, Integer.class)).isEqualTo(5);
			assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(result.successful()).isTrue();
			assertThat(result.ready()).isTrue();
		});
	}

	@Test
	void keywordArgumentsBindByParameterNameAndRecordsConvert() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).task("geo.shift")
				.args(Map.of("x", 1, "y", 2))
				.kwargs(Map.of("by", List.of(10, 20)))
				.send();
			assertThat(result.get(WAIT, Point.class)).isEqualTo(new Point(11, 22));
		});
	}

	@Test
	void theTaskContextIsInjected() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).task("ctx.describe").header("tenant", "acme").send();
			assertThat(result.get(WAIT)).isEqualTo(result.id() + "|ctx.describe|0|acme|celery");
		});
	}

	@Test
	void anExceptionFailsTheTaskWithTheRemoteTypeMessageAndTraceback() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("boom", "on fire");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> {
					assertThat(ex.getRemoteType()).isEqualTo("IllegalStateException");
					assertThat(ex.getRemoteMessage()).isEqualTo("on fire");
					assertThat(ex.getError().module()).isEqualTo("java.lang");
					assertThat(ex.getRemoteTraceback()).contains("Tasks.boom");
				});
			assertThat(result.failed()).isTrue();
		});
	}

	@Test
	void aTaskReturningAFutureCompletesWithItsValueOrItsException() {
		this.runner.run((context) -> {
			assertThat(template(context).send("async.upper", "ada").get(WAIT)).isEqualTo("ADA");
			AsyncResult failed = template(context).send("async.boom", "no disk");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failed.get(WAIT))
				.satisfies((ex) -> {
					assertThat(ex.getRemoteType()).isEqualTo("IllegalStateException");
					assertThat(ex.getRemoteMessage()).isEqualTo("no disk");
				});
		});
	}

	@Test
	void anUnknownTaskFailsAsNotRegisteredIsDeadLetteredAndTheWorkerGoesOn() {
		this.runner.run((context) -> {
			AsyncResult unknown = template(context).send("nobody.home", 1);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> unknown.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getRemoteType()).isEqualTo("NotRegistered"));
			InMemoryTaskBroker broker = context.getBean(InMemoryTaskBroker.class);
			await().atMost(WAIT).untilAsserted(() -> assertThat(broker.deadLetters("celery", 100)).singleElement()
				.satisfies((letter) -> assertThat(letter.reason()).contains("unregistered task 'nobody.home'")));
			assertThat(template(context).send("math.add", 1, 1).get(WAIT)).isEqualTo(2);
		});
	}

	@Test
	void aMessageThatIsNotJsonFailsItsTaskIsDeadLetteredAndTheWorkerGoesOn() {
		this.runner.run((context) -> {
			InMemoryTaskBroker broker = context.getBean(InMemoryTaskBroker.class);
			Map<String, Object> headers = new LinkedHashMap<>();
			headers.put("task", "math.add");
			headers.put("id", "broken-1");
			WireMessage broken = new WireMessage(headers, WireProperties.json("broken-1", "", null),
					"[[1, 2], {".getBytes(StandardCharsets.UTF_8));
			broker.publish(new OutboundMessage("celery", broken, null));
			AsyncResult result = template(context).result("broken-1");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getRemoteMessage()).contains("Body is not valid JSON"));
			await().atMost(WAIT).untilAsserted(() -> assertThat(broker.deadLetters("celery", 100)).singleElement()
				.satisfies((letter) -> assertThat(letter.reason()).contains("not valid JSON")));
			assertThat(context.getBean(Tasks.class).additions).hasValue(0);
			assertThat(template(context).send("math.add", 2, 2).get(WAIT)).isEqualTo(4);
		});
	}

	@Test
	void aPickleMessageIsNeverDeserializedAndIsDeadLettered() {
		this.runner.run((context) -> {
			InMemoryTaskBroker broker = context.getBean(InMemoryTaskBroker.class);
			WireMessage pickle = new WireMessage(Map.of("task", "math.add", "id", "pickle-1"),
					new WireProperties("application/x-python-serialize", "binary", "pickle-1", null, 0, 2),
					new byte[] { (byte) 0x80, 0x04, (byte) 0x95 });
			broker.publish(new OutboundMessage("celery", pickle, null));
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> template(context).result("pickle-1").get(WAIT))
				.satisfies((ex) -> assertThat(ex.getRemoteMessage()).contains("pickle"));
			await().atMost(WAIT).untilAsserted(() -> assertThat(broker.deadLetters("celery", 100)).hasSize(1));
		});
	}

	@Test
	void tooManyArgumentsFailTheTaskWithoutRunningIt() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("math.add", 1, 2, 3);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> {
					assertThat(ex.getRemoteType()).isEqualTo("ArgumentBindingException");
					assertThat(ex.getRemoteMessage())
						.contains("'math.add' (Tasks.add) takes 2 argument(s) (x, y) but received 3");
				});
			assertThat(context.getBean(Tasks.class).additions).hasValue(0);
		});
	}

	@Test
	void aMissingArgumentNamesTheParameter() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("math.add", 1);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getRemoteMessage()).contains("is missing argument 'y'"));
		});
	}

	@Test
	void aValueOfTheWrongTypeNamesTheParameterAndTheValue() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("math.add", "abc", 2);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getRemoteMessage())
					.contains("argument 'x' cannot be converted from \"abc\" (string) to int"));
		});
	}

	@Test
	void anUnknownKeywordArgumentIsRejected() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).task("math.add").args(1, 2).kwarg("z", 3).send();
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getRemoteMessage()).contains("unexpected keyword argument(s) [z]"));
		});
	}

	@Test
	void anExpiredTaskIsRevokedAndNotRun() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).task("math.add")
				.args(1, 2)
				.expires(Instant.now().minusSeconds(1))
				.send();
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
				.satisfies((ex) -> {
					assertThat(ex.getState()).isEqualTo(TaskState.REVOKED);
					assertThat(ex.getRemoteMessage()).isEqualTo("expired");
				});
			assertThat(context.getBean(Tasks.class).additions).hasValue(0);
		});
	}

	@Test
	void aCountdownTaskRunsNoEarlierThanItsDueTime() {
		this.runner.run((context) -> {
			Instant sent = Instant.now();
			AsyncResult result = template(context).task("clock.now").countdown(Duration.ofMillis(700)).send();
			assertThat(result.state()).isEqualTo(TaskState.PENDING);
			Long ranAt = result.get(WAIT, Long.class);
			assertThat(Instant.ofEpochMilli(ranAt)).isAfterOrEqualTo(sent.plusMillis(700));
		});
	}

	@Test
	void aSentTaskIsKnownBeforeItRunsAndAnUnknownIdIsNot() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			TaskTemplate template = template(context);
			AsyncResult sent = template.send("math.add", 1, 2);
			assertThat(sent.exists()).isTrue();
			assertThat(sent.state()).isEqualTo(TaskState.PENDING);
			assertThat(template.result("never-sent").exists()).isFalse();
			assertThatExceptionOfType(TaskTimeoutException.class)
				.isThrownBy(() -> sent.get(Duration.ofMillis(200)));
		});
	}

	@Test
	void routedTasksGoToTheirQueueWhichTheWorkerConsumes() {
		this.runner.withPropertyValues("taskqueue.routes.[math.*]=maths").run((context) -> {
			assertThat(context.getBean(TaskListenerEndpointRegistry.class).getQueues()).contains("celery", "maths");
			AsyncResult result = template(context).send("math.add", 20, 22);
			assertThat(result.get(WAIT)).isEqualTo(42);
			assertThat(context.getBean(Tasks.class).queues).contains("maths");
		});
	}

	@Test
	void aRouteToAQueueWithoutTasksHereIsNotConsumedByThisWorker() {
		this.runner.withPropertyValues("taskqueue.routes.[py.*]=python")
			.run((context) -> assertThat(context.getBean(TaskListenerEndpointRegistry.class).getQueues())
				.containsExactly("celery", "emails"));
	}

	@Test
	void aListenerQueueRoutesSendsFromThisApplication() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("emails.welcome", "a@b.c");
			assertThat(result.get(WAIT)).isEqualTo("sent to a@b.c");
			assertThat(context.getBean(Tasks.class).queues).containsExactly("emails");
		});
	}

	@Test
	void theFutureCompletesWithTheResult() {
		this.runner.run((context) -> {
			Object value = template(context).send("math.add", 4, 5).toCompletableFuture().get(10,
					java.util.concurrent.TimeUnit.SECONDS);
			assertThat(value).isEqualTo(9);
		});
	}

	@Test
	void manyTasksAllComplete() {
		this.runner.withPropertyValues("taskqueue.worker.concurrency=4").run((context) -> {
			List<AsyncResult> results = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				results.add(template(context).send("math.add", i, 1));
			}
			for (int i = 0; i < 200; i++) {
				assertThat(results.get(i).get(WAIT)).isEqualTo(i + 1);
			}
			assertThat(context.getBean(Tasks.class).additions).hasValue(200);
		});
	}

	@Test
	void listenersOnProxiedBeansAreInvokedThroughTheProxy() {
		this.runner.withUserConfiguration(ProxiedTasksConfiguration.class).run((context) -> {
			assertThat(template(context).send("proxied.hello", "Ada").get(WAIT)).isEqualTo("hello Ada");
			assertThat(context.getBean(ProxiedTasksConfiguration.class).intercepted).hasValue(1);
		});
	}

	@Test
	void twoListenersForOneTaskNameFailStartupNamingBoth() {
		this.runner.withUserConfiguration(DuplicateTasks.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("Task 'math.add' has two @TaskListener methods")
				.hasMessageContaining("Tasks.add")
				.hasMessageContaining("DuplicateTasks.add");
		});
	}

	@Test
	void stoppingTheContextWaitsForRunningTasks() {
		this.runner.run((context) -> {
			AsyncResult result = template(context).send("slow.sleep", 300);
			await().atMost(WAIT).until(() -> result.state() == TaskState.STARTED);
			context.getBean(TaskListenerEndpointRegistry.class).stop();
			assertThat(context.getBean(ResultBackend.class).get(result.id()).state()).isEqualTo(TaskState.SUCCESS);
		});
	}

	private static TaskTemplate template(AssertableApplicationContext context) {
		return context.getBean(TaskTemplate.class);
	}

	record Point(int x, int y) {
	}

	static class Tasks {

		final AtomicInteger additions = new AtomicInteger();

		final List<String> queues = new CopyOnWriteArrayList<>();

		@TaskListener(name = "math.add")
		int add(int x, int y, TaskContext context) {
			this.additions.incrementAndGet();
			this.queues.add(context.queue());
			return x + y;
		}

		@TaskListener("geo.shift")
		Point shift(Point point, List<Integer> by) {
			return new Point(point.x() + by.get(0), point.y() + by.get(1));
		}

		@TaskListener("ctx.describe")
		String describe(TaskContext context) {
			return context.id() + "|" + context.name() + "|" + context.retries() + "|" + context.headers().get("tenant")
					+ "|" + context.queue();
		}

		@TaskListener("boom")
		void boom(String message) {
			throw new IllegalStateException(message);
		}

		@TaskListener("async.upper")
		CompletableFuture<String> upper(String text) {
			return CompletableFuture.supplyAsync(text::toUpperCase);
		}

		@TaskListener("async.boom")
		CompletionStage<String> asyncBoom(String message) {
			return CompletableFuture.supplyAsync(() -> {
				throw new IllegalStateException(message);
			});
		}

		@TaskListener("clock.now")
		long now() {
			return System.currentTimeMillis();
		}

		@TaskListener(name = "emails.welcome", queue = "emails")
		String welcome(String email, TaskContext context) {
			this.queues.add(context.queue());
			return "sent to " + email;
		}

		@TaskListener("slow.sleep")
		int sleep(int millis) throws InterruptedException {
			Thread.sleep(millis);
			return millis;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateTasks {

		@Bean
		DuplicateTasks duplicate() {
			return new DuplicateTasks();
		}

		@TaskListener(name = "math.add")
		int add(int x, int y) {
			return 0;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProxiedTasksConfiguration {

		final AtomicInteger intercepted = new AtomicInteger();

		@Bean
		Object proxiedTasks() {
			ProxyFactory factory = new ProxyFactory(new ProxiedTasks());
			factory.setProxyTargetClass(true);
			factory.addAdvice((MethodInterceptor) (invocation) -> {
				this.intercepted.incrementAndGet();
				return invocation.proceed();
			});
			return factory.getProxy();
		}

	}

	static class ProxiedTasks {

		@TaskListener("proxied.hello")
		public String hello(String name) {
			return "hello " + name;
		}

	}

}
