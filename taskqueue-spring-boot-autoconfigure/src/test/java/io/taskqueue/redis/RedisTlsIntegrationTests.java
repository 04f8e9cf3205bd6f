package io.taskqueue.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.autoconfigure.redis.RedisResultBackendAutoConfiguration;
import io.taskqueue.autoconfigure.redis.RedisTaskBrokerAutoConfiguration;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskPublishException;
import io.taskqueue.core.TaskTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * taskqueue on a Redis that only accepts TLS, configured the Spring Boot way: a PEM SSL bundle
 * ({@code spring.ssl.bundle.pem.*}) trusting a private CA, referenced by
 * {@code spring.data.redis.ssl.bundle}. A task and its result travel over TLS with the host name
 * verified; without the bundle the same port refuses the plain-text connection and sending fails
 * with a {@link TaskPublishException}, so the first test cannot pass over plain text.
 */
class RedisTlsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final String BUNDLE = "redis-test";

	private final String prefix = "tqtls-" + UUID.randomUUID() + ":";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisTaskBrokerAutoConfiguration.class, RedisResultBackendAutoConfiguration.class))
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN)
		.withPropertyValues("taskqueue.broker.type=redis", "taskqueue.result-backend.type=redis",
				"taskqueue.redis.key-prefix=" + this.prefix, "spring.data.redis.timeout=5s",
				"spring.data.redis.connect-timeout=5s");

	@Test
	void aTaskAndItsResultTravelOverTlsWithAnSslBundle(@TempDir Path directory) throws Exception {
		try (RedisTlsServer server = RedisTlsServer.start(directory)) {
			this.runner.withBean(Tasks.class)
				.withPropertyValues(redisAt(server))
				.withPropertyValues("spring.ssl.bundle.pem." + BUNDLE + ".truststore.certificate="
						+ server.caCertificate().toUri(), "spring.data.redis.ssl.bundle=" + BUNDLE)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(LettuceConnectionFactory.class).getClientConfiguration().isUseSsl())
						.isTrue();
					AsyncResult result = context.getBean(TaskTemplate.class).send("tls.echo", "over TLS");
					assertThat(result.get(WAIT)).isEqualTo("over TLS");
					assertThat(context.getBean(StringRedisTemplate.class).hasKey("celery-task-meta-" + result.id()))
						.isTrue();
				});
		}
	}

	@Test
	void withoutTheBundleThePlainConnectionIsRefusedAndSendingFails(@TempDir Path directory) throws Exception {
		try (RedisTlsServer server = RedisTlsServer.start(directory)) {
			this.runner.withPropertyValues(redisAt(server))
				.withPropertyValues("taskqueue.worker.enabled=false")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(LettuceConnectionFactory.class).getClientConfiguration().isUseSsl())
						.isFalse();
					assertThatExceptionOfType(TaskPublishException.class)
						.isThrownBy(() -> context.getBean(TaskTemplate.class).send("tls.echo", "in clear"))
						.withMessageContaining("Could not publish task 'tls.echo'")
						.satisfies((ex) -> assertThat(causes(ex))
							.hasAtLeastOneElementOfType(RedisConnectionFailureException.class));
				});
		}
	}

	private static String[] redisAt(RedisTlsServer server) {
		return new String[] { "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.tlsPort() };
	}

	private static List<Throwable> causes(Throwable throwable) {
		List<Throwable> causes = new ArrayList<>();
		for (Throwable cause = throwable.getCause(); cause != null && !causes.contains(cause);
				cause = cause.getCause()) {
			causes.add(cause);
		}
		return causes;
	}

	static class Tasks {

		@TaskListener("tls.echo")
		String echo(String text) {
			return text;
		}

	}

}
