package io.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.client.TaskClientsAutoConfiguration;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.client.sample.Emails;
import io.taskqueue.client.sample.Reports;
import io.taskqueue.core.AsyncResult;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

class TaskClientsAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withConfiguration(AutoConfigurations.of(TaskClientsAutoConfiguration.class))
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN);

	@Test
	void aClientInTheApplicationsPackagesSendsTheTaskItsMethodNames() {
		this.runner.withUserConfiguration(Application.class).withBean(WelcomeWorker.class).run((context) -> {
			Emails emails = context.getBean(Emails.class);
			AsyncResult result = emails.sendWelcome("ada@example.com", "Ada");
			assertThat(result.get(WAIT)).isEqualTo("Welcome, Ada <ada@example.com>");
			assertThat(emails.welcome("bob@example.com", "Bob").get()).isEqualTo("Welcome, Bob <bob@example.com>");
			assertThat(emails.welcomeAda().get(WAIT)).isEqualTo("Welcome, Ada <ada@example.com>");
			emails.fireAndForget("cy@example.com", "Cy");
			await().atMost(WAIT).until(() -> context.getBean(WelcomeWorker.class).sent.contains("cy@example.com"));
		});
	}

	@Test
	void aClientsQueueOverridesRouting() {
		this.runner.withUserConfiguration(Application.class).withPropertyValues("taskqueue.worker.enabled=false")
			.run((context) -> {
				context.getBean(Reports.class).build(2026);
				assertThat(context.getBean(TaskBroker.class).stats("reports").ready()).isOne();
				assertThat(context.getBean(TaskBroker.class).stats("celery").ready()).isZero();
			});
	}

	@Test
	void aBeanOfTheSameNameWins() {
		Emails mine = mock(Emails.class);
		this.runner.withUserConfiguration(Application.class)
			.withBean("emails", Emails.class, () -> mine)
			.run((context) -> assertThat(context.getBean(Emails.class)).isSameAs(mine));
	}

	@Test
	void withoutAutoConfigurationPackagesNoClientIsRegistered() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Emails.class));
	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage(basePackageClasses = Emails.class)
	static class Application {

	}

	static class WelcomeWorker {

		final List<String> sent = new CopyOnWriteArrayList<>();

		@TaskListener("emails.send_welcome")
		String sendWelcome(String email, String name) {
			this.sent.add(email);
			return "Welcome, " + name + " <" + email + ">";
		}

	}

}
