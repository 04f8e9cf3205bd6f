package io.taskqueue.autoconfigure.diagnostics;

import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class MissingTaskInfrastructureFailureAnalyzerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN);

	@Test
	void aRedisBrokerWithoutSpringDataRedisNamesTheStarterToAdd() {
		this.runner.withPropertyValues("taskqueue.broker.type=redis")
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new MissingTaskInfrastructureFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("taskqueue.broker.type=redis");
				assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis")
					.contains("remove taskqueue.broker.type");
			});
	}

	@Test
	void aRedisResultBackendWithoutSpringDataRedisIsExplainedToo() {
		this.runner.withPropertyValues("taskqueue.result-backend.type=redis")
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.run((context) -> {
				FailureAnalysis analysis = new MissingTaskInfrastructureFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("taskqueue.result-backend.type=redis");
			});
	}

}
