package io.taskqueue.observation;

import java.time.Duration;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskContext;
import io.taskqueue.core.TaskTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Spring Boot's Micrometer Tracing set up, the trace of the code that sends a task continues in
 * the worker: the message carries a W3C {@code traceparent} and the task runs in a span of the same
 * trace.
 */
class TaskTracingTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
				OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class))
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN, "management.tracing.sampling.probability=1.0")
		.withBean(Traced.class);

	@Test
	void theWorkerContinuesTheSendersTrace() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			Tracer tracer = context.getBean(Tracer.class);
			String[] sender = new String[2];
			AsyncResult result = Observation.createNotStarted("http.request", context.getBean(ObservationRegistry.class))
				.observe(() -> {
					Span current = tracer.currentSpan();
					sender[0] = current.context().traceId();
					sender[1] = current.context().spanId();
					return context.getBean(TaskTemplate.class).send("traced");
				});
			String[] worker = result.get(Duration.ofSeconds(10), String.class).split("\\|");
			assertThat(worker[0]).isEqualTo(sender[0]);
			assertThat(worker[1]).isNotEqualTo(sender[1]);
			assertThat(worker[2]).startsWith("00-" + sender[0] + "-");
		});
	}

	@Test
	void withoutAnOuterTraceATaskStartsItsOwn() {
		this.runner.run((context) -> {
			AsyncResult first = context.getBean(TaskTemplate.class).send("traced");
			AsyncResult second = context.getBean(TaskTemplate.class).send("traced");
			String one = first.get(Duration.ofSeconds(10), String.class).split("\\|")[0];
			String two = second.get(Duration.ofSeconds(10), String.class).split("\\|")[0];
			assertThat(one).hasSize(32).isNotEqualTo(two);
		});
	}

	static class Traced {

		private final ObjectProvider<Tracer> tracer;

		Traced(ObjectProvider<Tracer> tracer) {
			this.tracer = tracer;
		}

		@TaskListener("traced")
		String traced(TaskContext context) {
			Span span = this.tracer.getObject().currentSpan();
			return span.context().traceId() + "|" + span.context().spanId() + "|" + context.headers().get("traceparent");
		}

	}

}
