package io.taskqueue.observation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.autoconfigure.metrics.TaskQueueMetricsAutoConfiguration;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskContext;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.observation.metrics.ProducerMetrics;
import io.taskqueue.observation.metrics.QueueMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The meters, the MDC and the one-line execution log, on the in-memory broker.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskMetricsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withConfiguration(AutoConfigurations.of(TaskQueueMetricsAutoConfiguration.class))
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN)
		.withUserConfiguration(Registries.class)
		.withBean(Tasks.class);

	@Test
	void everyOutcomeIsCountedPerTaskAndQueue() {
		this.runner.run((context) -> {
			TaskTemplate tasks = context.getBean(TaskTemplate.class);
			tasks.send("m.ok").get(WAIT);
			AsyncResult boom = tasks.send("m.boom");
			await().atMost(WAIT).until(boom::ready);
			tasks.send("m.again").get(WAIT);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(count(meters, "taskqueue.tasks.sent", "m.ok")).isEqualTo(1);
				assertThat(count(meters, "taskqueue.tasks.started", "m.ok")).isEqualTo(1);
				assertThat(count(meters, "taskqueue.tasks.succeeded", "m.ok")).isEqualTo(1);
				assertThat(count(meters, "taskqueue.tasks.failed", "m.boom")).isEqualTo(1);
				assertThat(count(meters, "taskqueue.tasks.retried", "m.again")).isEqualTo(1);
				assertThat(count(meters, "taskqueue.tasks.succeeded", "m.again")).isEqualTo(1);
				assertThat(count(meters, "taskqueue.tasks.sent", "m.again")).isEqualTo(1);
			});
			assertThat(meters.get("taskqueue.tasks.execution").tags("task", "m.ok", "outcome", "success").timer().count())
				.isEqualTo(1);
			assertThat(meters.get("taskqueue.tasks.execution").tags("task", "m.boom", "outcome", "failure").timer().count())
				.isEqualTo(1);
			assertThat(meters.get("taskqueue.tasks.execution").tags("task", "m.again", "outcome", "retry").timer().count())
				.isEqualTo(1);
			assertThat(meters.get("taskqueue.tasks.send").tags("task", "m.ok", "queue", "celery").timer().count())
				.isEqualTo(1);
			assertThat(meters.get("taskqueue.tasks.queue.wait").tags("task", "m.ok").timer().count()).isEqualTo(1);
			assertThat(bound(context).get("taskqueue.queue.depth").tags("queue", "celery").gauge().value()).isZero();
		});
	}

	@Test
	void queueGaugesShowWaitingMessagesAndTheOldestAge() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			context.getBean(TaskTemplate.class).send("m.ok");
			context.getBean(TaskTemplate.class).send("m.ok");
			MeterRegistry meters = bound(context);
			assertThat(meters.get("taskqueue.queue.depth").tags("queue", "celery").gauge().value()).isEqualTo(2);
			assertThat(meters.get("taskqueue.queue.oldest.age").tags("queue", "celery").gauge().value())
				.isGreaterThanOrEqualTo(0);
			assertThat(meters.get("taskqueue.queue.dead.letters").tags("queue", "celery").gauge().value()).isZero();
		});
	}

	@Test
	void theProducerGaugeCountsAsynchronousSendsTheBrokerHasNotTakenYet() {
		TaskBroker broker = mock(TaskBroker.class);
		CompletableFuture<Void> first = new CompletableFuture<>();
		given(broker.publishAsync(any(OutboundMessage.class))).willReturn(first, new CompletableFuture<>());
		new ApplicationContextRunner().withConfiguration(TaskQueueTestConfigurations.all())
			.withConfiguration(AutoConfigurations.of(TaskQueueMetricsAutoConfiguration.class))
			.withUserConfiguration(Registries.class)
			.withBean(TaskBroker.class, () -> broker)
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				context.getBean(ProducerMetrics.class).bindTo(meters);
				Gauge pending = meters.get("taskqueue.producer.pending.sends").gauge();
				assertThat(pending.value()).isZero();
				TaskTemplate tasks = context.getBean(TaskTemplate.class);
				tasks.task("m.ok").sendAsync();
				tasks.task("m.ok").sendAsync();
				assertThat(pending.value()).isEqualTo(2);
				first.complete(null);
				assertThat(pending.value()).isEqualTo(1);
			});
	}

	@Test
	void theMdcCarriesTheTaskAndEachExecutionLogsOneLine(CapturedOutput output) {
		this.runner.run((context) -> {
			AsyncResult result = context.getBean(TaskTemplate.class).send("m.mdc");
			assertThat(result.get(WAIT)).isEqualTo(result.id() + "|m.mdc");
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(output.getOut()).contains("Task m.mdc[" + result.id() + "] success in "));
		});
	}

	private static MeterRegistry bound(AssertableApplicationContext context) {
		MeterRegistry meters = context.getBean(MeterRegistry.class);
		context.getBean(QueueMetrics.class).bindTo(meters);
		return meters;
	}

	private static double count(MeterRegistry meters, String name, String task) {
		var counter = meters.find(name).tags("task", task).counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Configuration(proxyBeanMethods = false)
	static class Registries {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ObservationRegistry observationRegistry(MeterRegistry meters) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
			return registry;
		}

	}

	static class Tasks {

		private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

		@TaskListener("m.ok")
		String ok() {
			return "ok";
		}

		@TaskListener("m.boom")
		void boom() {
			throw new IllegalStateException("boom");
		}

		@TaskListener("m.again")
		String again(TaskContext context) {
			if (this.calls.computeIfAbsent(context.id(), (id) -> new AtomicInteger()).incrementAndGet() == 1) {
				throw context.retry(new IllegalStateException("once more"), Duration.ZERO);
			}
			return "done";
		}

		@TaskListener("m.mdc")
		String mdc() {
			return MDC.get("taskId") + "|" + MDC.get("taskName");
		}

	}

}
