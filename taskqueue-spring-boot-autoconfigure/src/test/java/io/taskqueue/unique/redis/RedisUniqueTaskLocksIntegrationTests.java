package io.taskqueue.unique.redis;

import java.util.UUID;

import io.taskqueue.redis.RedisTestSupport;
import io.taskqueue.unique.AbstractUniqueTaskLocksTests;
import io.taskqueue.unique.UniqueTaskLocks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

class RedisUniqueTaskLocksIntegrationTests extends AbstractUniqueTaskLocksTests {

	private static LettuceConnectionFactory connectionFactory;

	private final String prefix = "tqunique-" + UUID.randomUUID() + ":";

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
	protected UniqueTaskLocks createLocks() {
		return new RedisUniqueTaskLocks(connectionFactory, this.prefix);
	}

}
