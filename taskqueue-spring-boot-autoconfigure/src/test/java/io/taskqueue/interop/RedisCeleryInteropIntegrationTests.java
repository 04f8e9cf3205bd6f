package io.taskqueue.interop;

import io.taskqueue.autoconfigure.redis.RedisResultBackendAutoConfiguration;
import io.taskqueue.autoconfigure.redis.RedisTaskBrokerAutoConfiguration;
import io.taskqueue.redis.RedisTestSupport;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Java and Python Celery sharing Redis as broker and result backend.
 */
class RedisCeleryInteropIntegrationTests extends AbstractCeleryInteropTests {

	@BeforeAll
	static void startPythonWorker() throws Exception {
		startPython("redis://" + RedisTestSupport.host() + ":" + RedisTestSupport.port() + "/" + RedisTestSupport.DATABASE);
	}

	@Override
	protected ApplicationContextRunner withBroker(ApplicationContextRunner runner) {
		return runner
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisTaskBrokerAutoConfiguration.class, RedisResultBackendAutoConfiguration.class))
			.withPropertyValues("taskqueue.broker.type=redis");
	}

}
