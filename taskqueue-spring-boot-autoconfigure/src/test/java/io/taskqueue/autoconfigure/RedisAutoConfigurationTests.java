package io.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import io.taskqueue.autoconfigure.redis.RedisRateLimiterAutoConfiguration;
import io.taskqueue.autoconfigure.redis.RedisUniqueTaskLocksAutoConfiguration;
import io.taskqueue.autoconfigure.redis.RedisResultBackendAutoConfiguration;
import io.taskqueue.autoconfigure.redis.RedisTaskBrokerAutoConfiguration;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.broker.inmemory.InMemoryTaskBroker;
import io.taskqueue.broker.redis.RedisTaskBroker;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.core.TaskTimeoutException;
import io.taskqueue.ratelimit.InMemoryTaskRateLimiter;
import io.taskqueue.ratelimit.TaskRateLimiter;
import io.taskqueue.ratelimit.redis.RedisTaskRateLimiter;
import io.taskqueue.unique.UniqueTaskLocks;
import io.taskqueue.unique.redis.RedisUniqueTaskLocks;
import io.taskqueue.result.inmemory.InMemoryResultBackend;
import io.taskqueue.result.redis.RedisResultBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RedisAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				RedisTaskBrokerAutoConfiguration.class, RedisResultBackendAutoConfiguration.class,
				RedisRateLimiterAutoConfiguration.class, RedisUniqueTaskLocksAutoConfiguration.class))
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN)
		.withPropertyValues("taskqueue.worker.enabled=false");

	@Test
	void redisIsNeverChosenImplicitly() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(InMemoryTaskBroker.class)
			.hasSingleBean(InMemoryResultBackend.class)
			.doesNotHaveBean(RedisTaskBroker.class)
			.doesNotHaveBean(RedisResultBackend.class));
	}

	@Test
	void brokerTypeRedisUsesTheRedisBrokerOnTheApplicationsConnection() {
		this.runner.withPropertyValues("taskqueue.broker.type=redis", "taskqueue.redis.visibility-timeout=2m")
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisTaskBroker.class).doesNotHaveBean(InMemoryTaskBroker.class);
				assertThat(context.getBean(RedisTaskBroker.class).renewalInterval()).isEqualTo(Duration.ofSeconds(30));
			});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shutdownClosesDedicatedConnectionsWithoutLettuceWarnings(CapturedOutput output) {
		this.runner.withPropertyValues("taskqueue.broker.type=redis", "taskqueue.result-backend.type=redis")
			.run((context) -> {
				// a blocking poll and a wait for a result each hold a connection of their own
				context.getBean(TaskBroker.class).poll("shutdown-" + UUID.randomUUID(), 1, Duration.ofMillis(50));
				assertThatExceptionOfType(TaskTimeoutException.class).isThrownBy(() -> context.getBean(TaskTemplate.class)
					.result(UUID.randomUUID().toString())
					.get(Duration.ofMillis(50)));
			});
		assertThat(output).doesNotContain("Connection is already closed");
	}

	@Test
	void resultBackendTypeRedisUsesTheRedisBackend() {
		this.runner.withPropertyValues("taskqueue.result-backend.type=redis")
			.run((context) -> assertThat(context).hasSingleBean(RedisResultBackend.class)
				.doesNotHaveBean(InMemoryResultBackend.class));
	}

	@Test
	void rateLimitsAreSharedThroughRedisWhenRedisIsTheBrokerOrTheBackend() {
		this.runner.withPropertyValues("taskqueue.result-backend.type=redis", "taskqueue.worker.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(TaskRateLimiter.class)
				.hasSingleBean(RedisTaskRateLimiter.class));
		this.runner.withPropertyValues("taskqueue.worker.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(InMemoryTaskRateLimiter.class));
	}

	@Test
	void uniqueTaskClaimsAreSharedThroughRedisWhenRedisIsTheBrokerOrTheBackend() {
		this.runner.withPropertyValues("taskqueue.broker.type=redis")
			.run((context) -> assertThat(context).hasSingleBean(RedisUniqueTaskLocks.class));
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(UniqueTaskLocks.class));
	}

	@Test
	void redisBrokerBacksOffWhenUserDefinesTaskBroker() {
		this.runner.withPropertyValues("taskqueue.broker.type=redis")
			.withBean(TaskBroker.class, InMemoryTaskBroker::new)
			.run((context) -> assertThat(context).doesNotHaveBean(RedisTaskBroker.class).hasSingleBean(TaskBroker.class));
	}

	@Test
	void withoutSpringDataRedisNoRedisBrokerIsConfigured() {
		this.runner.withPropertyValues("taskqueue.broker.type=redis")
			.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("No TaskBroker for taskqueue.broker.type=redis")
					.hasMessageContaining("spring-boot-starter-data-redis");
			});
	}

}
