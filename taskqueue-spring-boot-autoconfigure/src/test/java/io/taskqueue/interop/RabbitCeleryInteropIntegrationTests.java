package io.taskqueue.interop;

import java.net.URI;

import io.taskqueue.autoconfigure.rabbit.RabbitTaskBrokerAutoConfiguration;
import io.taskqueue.autoconfigure.redis.RedisResultBackendAutoConfiguration;
import io.taskqueue.rabbit.RabbitTestSupport;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Java and Python Celery sharing RabbitMQ as broker, with results in Redis.
 */
class RabbitCeleryInteropIntegrationTests extends AbstractCeleryInteropTests {

	@BeforeAll
	static void startPythonWorker() throws Exception {
		URI rabbit = RabbitTestSupport.uri();
		startPython("amqp://" + rabbit.getUserInfo() + "@" + rabbit.getHost() + ":" + rabbit.getPort() + "//");
	}

	@Override
	protected ApplicationContextRunner withBroker(ApplicationContextRunner runner) {
		return runner
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
					RabbitTaskBrokerAutoConfiguration.class, RedisResultBackendAutoConfiguration.class))
			.withPropertyValues(RabbitTestSupport.springProperties())
			.withPropertyValues("taskqueue.broker.type=rabbit");
	}

}
