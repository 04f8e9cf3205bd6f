package io.taskqueue.cluster.redis;

import java.time.Clock;
import java.util.UUID;

import io.taskqueue.cluster.AbstractWorkerRegistryTests;
import io.taskqueue.cluster.WorkerRegistry;
import io.taskqueue.redis.RedisTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

class RedisWorkerRegistryIntegrationTests extends AbstractWorkerRegistryTests {

	private static LettuceConnectionFactory connectionFactory;

	private final String prefix = "tqworkers-" + UUID.randomUUID() + ":";

	@BeforeAll
	static void connect() {
		connectionFactory = RedisTestSupport.connectionFactory();
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@AfterEach
	void cleanUp() {
		RedisTestSupport.deleteKeys(connectionFactory, this.prefix + "*");
	}

	@Override
	protected WorkerRegistry createRegistry() {
		return new RedisWorkerRegistry(connectionFactory, new JsonMapper(), this.prefix, Clock.systemUTC());
	}

}
