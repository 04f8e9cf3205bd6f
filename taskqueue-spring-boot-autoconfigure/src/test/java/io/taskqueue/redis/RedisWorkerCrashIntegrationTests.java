package io.taskqueue.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.taskqueue.broker.TaskBroker;
import io.taskqueue.broker.redis.RedisTaskBroker;
import io.taskqueue.crash.AbstractWorkerCrashTests;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The SIGKILL scenario on Redis: a killed worker's messages come back after the visibility timeout.
 */
class RedisWorkerCrashIntegrationTests extends AbstractWorkerCrashTests {

	private final String prefix = "tqcrash-" + this.run + ":";

	private LettuceConnectionFactory brokerConnections;

	@Override
	protected TaskBroker createBroker(JsonMapper mapper) {
		this.brokerConnections = RedisTestSupport.connectionFactory();
		return new RedisTaskBroker(this.brokerConnections, mapper, this.prefix, Duration.ofSeconds(3),
				Clock.systemUTC());
	}

	@Override
	protected List<String> brokerArguments() {
		return List.of("--taskqueue.broker.type=redis", "--taskqueue.redis.key-prefix=" + this.prefix,
				"--taskqueue.redis.visibility-timeout=3s");
	}

	@Override
	protected void cleanUpBroker(TaskBroker broker) {
		((RedisTaskBroker) broker).destroy();
		RedisTestSupport.deleteKeys(this.brokerConnections, this.prefix + "*");
		this.brokerConnections.destroy();
	}

}
