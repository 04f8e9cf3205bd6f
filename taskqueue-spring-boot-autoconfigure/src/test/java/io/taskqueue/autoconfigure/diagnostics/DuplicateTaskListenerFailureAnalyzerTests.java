package io.taskqueue.autoconfigure.diagnostics;

import java.util.List;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicateTaskListenerFailureAnalyzerTests {

	@Test
	void twoListenersForOneTaskAreExplainedWithBothMethodsAndAFix() {
		new ApplicationContextRunner().withConfiguration(TaskQueueTestConfigurations.all())
			.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN)
			.withBean("welcomeEmails", WelcomeEmails.class)
			.withBean("legacyEmails", LegacyEmails.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new DuplicateTaskListenerFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("'emails.send_welcome'")
					.contains("WelcomeEmails.send")
					.contains("bean 'welcomeEmails'")
					.contains("LegacyEmails.send")
					.contains("bean 'legacyEmails'");
				assertThat(analysis.getAction()).contains("another task name");
			});
	}

	@Test
	void theAnalyzersAreRegisteredWithSpringBoot() {
		// Other modules' analyzers need constructor arguments; skip those, they are not under test.
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, null, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
			}));
		assertThat(analyzers).hasAtLeastOneElementOfType(DuplicateTaskListenerFailureAnalyzer.class)
			.hasAtLeastOneElementOfType(MissingTaskInfrastructureFailureAnalyzer.class);
	}

	static class WelcomeEmails {

		@TaskListener("emails.send_welcome")
		void send(String email) {
		}

	}

	static class LegacyEmails {

		@TaskListener("emails.send_welcome")
		void send(String email) {
		}

	}

}
