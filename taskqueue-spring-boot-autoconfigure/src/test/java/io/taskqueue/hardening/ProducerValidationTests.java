package io.taskqueue.hardening;

import java.time.Duration;

import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.core.TaskPublishException;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.protocol.MessageEncodingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code TaskTemplate} refuses what it cannot send correctly before anything reaches the broker,
 * with an exception that says what is wrong.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProducerValidationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN, "taskqueue.worker.enabled=false",
				"taskqueue.routes[emails.*]=emails", "taskqueue.producer.queues=python-only");

	@Test
	void argumentsThatCannotBeJsonAreRefusedAndNothingIsPublished() {
		this.runner.run((context) -> {
			assertThatExceptionOfType(MessageEncodingException.class)
				.isThrownBy(() -> template(context).send("any.task", new Unwritable()))
				.withMessageContaining("any.task")
				.withMessageContaining("JSON");
			assertThat(published(context)).isZero();
		});
	}

	@Test
	void impossibleOptionsAreRefusedWhenSet() {
		this.runner.run((context) -> {
			TaskTemplate tasks = template(context);
			assertThatIllegalArgumentException().isThrownBy(() -> tasks.task("t").countdown(Duration.ofSeconds(-1)))
				.withMessageContaining("Countdown must not be negative");
			assertThatIllegalArgumentException().isThrownBy(() -> tasks.task("t").priority(256))
				.withMessageContaining("between 0 and 255");
			assertThatIllegalArgumentException().isThrownBy(() -> tasks.task("t").expires(Duration.ZERO))
				.withMessageContaining("Expiry must be positive");
			assertThatIllegalArgumentException().isThrownBy(() -> tasks.task("t").queue(" "))
				.withMessageContaining("Queue must not be empty");
			assertThat(published(context)).isZero();
		});
	}

	@Test
	void aSendToAnUnknownQueueWarnsOncePerQueueByDefault(CapturedOutput output) {
		this.runner.run((context) -> {
			template(context).task("t").queue("emials").send();
			template(context).task("t").queue("emials").send();
			assertThat(published(context)).isEqualTo(2);
			assertThat(output.getOut().split("queue 'emials', which no route", -1)).hasSize(2);
		});
	}

	@Test
	void queuesNamedByConfigurationAreKnown(CapturedOutput output) {
		this.runner.withPropertyValues("taskqueue.producer.unknown-queue=fail").run((context) -> {
			template(context).task("t").queue("emails").send();
			template(context).task("t").queue("python-only").send();
			template(context).task("t").queue("celery").send();
			assertThat(published(context)).isEqualTo(3);
		});
	}

	@Test
	void withFailAnUnknownQueueIsRefusedBeforePublishing() {
		this.runner.withPropertyValues("taskqueue.producer.unknown-queue=fail").run((context) -> {
			assertThatExceptionOfType(TaskPublishException.class)
				.isThrownBy(() -> template(context).task("emails.welcome").queue("emials").send())
				.withMessageContaining("queue 'emials'")
				.withMessageContaining("taskqueue.producer.queues");
			assertThat(published(context)).isZero();
		});
	}

	@Test
	void queuesThisApplicationsWorkersConsumeAreKnown() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=true", "taskqueue.worker.queues=celery,reports",
				"taskqueue.producer.unknown-queue=fail")
			.run((context) -> template(context).task("t").queue("reports").countdown(Duration.ofHours(1)).send());
	}

	/** A value Jackson cannot write: its only property fails. */
	static class Unwritable {

		public String getSecret() {
			throw new IllegalStateException("not readable");
		}

	}

	private static TaskTemplate template(AssertableApplicationContext context) {
		return context.getBean(TaskTemplate.class);
	}

	private static long published(AssertableApplicationContext context) {
		TaskBroker broker = context.getBean(TaskBroker.class);
		return java.util.stream.Stream.of("celery", "emails", "emials", "python-only")
			.mapToLong((queue) -> broker.stats(queue).ready() + broker.stats(queue).delayed())
			.sum();
	}

}
