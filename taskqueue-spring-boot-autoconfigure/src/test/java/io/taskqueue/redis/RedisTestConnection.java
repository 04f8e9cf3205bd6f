package io.taskqueue.redis;

import java.util.UUID;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A Redis connection for one test class, and a fresh key prefix for each test whose keys are
 * deleted after it: {@code @RegisterExtension static final RedisTestConnection redis = new
 * RedisTestConnection("tqlocks-");}.
 */
public final class RedisTestConnection
		implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

	private final String prefixBase;

	private LettuceConnectionFactory connectionFactory;

	private String prefix;

	public RedisTestConnection(String prefixBase) {
		this.prefixBase = prefixBase;
	}

	public LettuceConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	/** The key prefix of the running test. */
	public String prefix() {
		return this.prefix;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.connectionFactory = RedisTestSupport.connectionFactory();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.prefix = this.prefixBase + UUID.randomUUID() + ":";
	}

	@Override
	public void afterEach(ExtensionContext context) {
		RedisTestSupport.deleteKeys(this.connectionFactory, this.prefix + "*");
	}

	@Override
	public void afterAll(ExtensionContext context) {
		this.connectionFactory.destroy();
	}

}
