package io.taskqueue.redis;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import io.taskqueue.testing.TestServices;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis integration tests talk to: {@code TASKQUEUE_TEST_REDIS_URL}, else the local Redis on
 * 127.0.0.1:6379, else (only when Docker is available) a Testcontainers Redis. Tests use database
 * {@value #DATABASE} and their own key prefixes and task ids, and clean up after themselves.
 */
public final class RedisTestSupport {

	public static final int DATABASE = 15;

	private static URI uri;

	private RedisTestSupport() {
	}

	public static synchronized URI uri() {
		if (uri == null) {
			uri = TestServices.locate("Redis", "TASKQUEUE_TEST_REDIS_URL", "redis://127.0.0.1:6379", "redis:7.2", "redis://");
		}
		return uri;
	}

	public static String host() {
		return uri().getHost();
	}

	public static int port() {
		return uri().getPort();
	}

	public static LettuceConnectionFactory connectionFactory() {
		return connectionFactory(host(), port());
	}

	public static LettuceConnectionFactory connectionFactory(String host, int port) {
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(host, port);
		configuration.setDatabase(DATABASE);
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/** Spring Boot properties that point an application at the test Redis. */
	public static String[] springProperties() {
		return new String[] { "spring.data.redis.host=" + host(), "spring.data.redis.port=" + port(),
				"spring.data.redis.database=" + DATABASE };
	}

	public static void deleteKeys(LettuceConnectionFactory factory, String pattern) {
		StringRedisTemplate redis = new StringRedisTemplate(factory);
		List<String> keys = new ArrayList<>();
		try (Cursor<String> cursor = redis.scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
			cursor.forEachRemaining(keys::add);
		}
		if (!keys.isEmpty()) {
			redis.delete(keys);
		}
	}

}
