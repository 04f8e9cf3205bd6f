package io.taskqueue.listener;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskContext;
import io.taskqueue.core.TaskTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@code unique} attribute of {@code @TaskListener}, on the in-memory broker. The listeners'
 * queue is not consumed here, so sent tasks stay queued and keep their keys.
 */
class ListenerUniqueKeysTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN, "taskqueue.worker.queues=elsewhere");

	@Test
	void sendsWithTheSameKeyReturnTheQueuedTask() {
		this.runner.withBean(Emails.class).run((context) -> {
			TaskTemplate tasks = context.getBean(TaskTemplate.class);
			AsyncResult first = tasks.send("emails.welcome", "ada@example.com", "Ada");
			assertThat(tasks.send("emails.welcome", "ada@example.com", "Ada Lovelace").id()).isEqualTo(first.id());
			assertThat(tasks.task("emails.welcome")
				.kwarg("email", "ada@example.com")
				.kwarg("name", "A.")
				.send()
				.id()).as("keyword arguments bind by parameter name").isEqualTo(first.id());
			assertThat(tasks.send("emails.welcome", "bob@example.com", "Bob").id()).isNotEqualTo(first.id());
			assertThat(tasks.send("emails.plain", "ada@example.com").id())
				.as("a listener without 'unique' is not unique")
				.isNotEqualTo(tasks.send("emails.plain", "ada@example.com").id());
		});
	}

	@Test
	void aNullKeyFailsTheSendWithTheExpressionNamed() {
		this.runner.withBean(Emails.class)
			.run((context) -> assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(TaskTemplate.class).send("emails.welcome", null, "Ada"))
				.withMessageContaining("'#email.toLowerCase()'")
				.withMessageContaining("emails.welcome"));
	}

	@Test
	void anInvalidExpressionFailsStartupNamingTheAttribute() {
		this.runner.withBean(BadExpression.class)
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("BadExpression.bad: invalid unique \"#email +\": not a SpEL expression"));
	}

	static class Emails {

		@TaskListener(name = "emails.welcome", queue = "parked", unique = "#email.toLowerCase()", uniqueFor = "1m")
		void welcome(TaskContext context, String email, String name) {
		}

		@TaskListener(name = "emails.plain", queue = "parked")
		void plain(String email) {
		}

	}

	static class BadExpression {

		@TaskListener(name = "bad", unique = "#email +")
		void bad(String email) {
		}

	}

}
