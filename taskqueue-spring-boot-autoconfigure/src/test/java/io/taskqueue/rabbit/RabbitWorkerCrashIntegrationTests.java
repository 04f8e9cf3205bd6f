package io.taskqueue.rabbit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.taskqueue.broker.TaskBroker;
import io.taskqueue.broker.rabbit.RabbitQueueOptions;
import io.taskqueue.broker.rabbit.RabbitTaskBroker;
import io.taskqueue.crash.AbstractWorkerCrashTests;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The SIGKILL scenario on RabbitMQ: a killed worker's unacknowledged messages are redelivered.
 */
class RabbitWorkerCrashIntegrationTests extends AbstractWorkerCrashTests {

	private CachingConnectionFactory connectionFactory;

	@Override
	protected TaskBroker createBroker(JsonMapper mapper) {
		this.connectionFactory = RabbitTestSupport.connectionFactory();
		return new RabbitTaskBroker(this.connectionFactory, RabbitQueueOptions.CELERY_DEFAULTS, Clock.systemUTC());
	}

	@Override
	protected List<String> brokerArguments() {
		List<String> arguments = new ArrayList<>(List.of("--taskqueue.broker.type=rabbit"));
		for (String property : RabbitTestSupport.springProperties()) {
			arguments.add("--" + property);
		}
		return arguments;
	}

	@Override
	protected void cleanUpBroker(TaskBroker broker) {
		((RabbitTaskBroker) broker).destroy();
		RabbitTestSupport.deleteQueue(this.connectionFactory, this.queue);
		this.connectionFactory.destroy();
	}

}
