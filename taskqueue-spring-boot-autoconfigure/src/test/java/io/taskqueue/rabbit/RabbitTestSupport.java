package io.taskqueue.rabbit;

import java.net.URI;

import io.taskqueue.broker.rabbit.DeferringSocketFactory;
import io.taskqueue.testing.TestServices;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * The RabbitMQ integration tests talk to: {@code TASKQUEUE_TEST_RABBIT_URL}, else the local
 * RabbitMQ on 127.0.0.1:5672 (guest/guest), else (only when Docker is available) a Testcontainers
 * RabbitMQ. Tests use unique queue names and delete what they declare.
 */
public final class RabbitTestSupport {

	private static URI uri;

	private RabbitTestSupport() {
	}

	public static synchronized URI uri() {
		if (uri == null) {
			uri = TestServices.locate("RabbitMQ", "TASKQUEUE_TEST_RABBIT_URL", "amqp://guest:guest@127.0.0.1:5672",
					"rabbitmq:3.13", "amqp://guest:guest@");
		}
		return uri;
	}

	/**
	 * A connection factory set up as Spring Boot's is with taskqueue: its sockets let the broker's
	 * batches of publishes share writes.
	 */
	public static CachingConnectionFactory connectionFactory() {
		CachingConnectionFactory factory = new CachingConnectionFactory(uri());
		DeferringSocketFactory.installOn(factory.getRabbitConnectionFactory());
		factory.setChannelCacheSize(50);
		return factory;
	}

	public static String[] springProperties() {
		URI rabbit = uri();
		String[] credentials = (rabbit.getUserInfo() != null) ? rabbit.getUserInfo().split(":", 2)
				: new String[] { "guest", "guest" };
		return new String[] { "spring.rabbitmq.host=" + rabbit.getHost(), "spring.rabbitmq.port=" + rabbit.getPort(),
				"spring.rabbitmq.username=" + credentials[0], "spring.rabbitmq.password=" + credentials[1] };
	}

	/**
	 * Return how many messages a queue holds, ready for a consumer.
	 * @param factory the connection factory
	 * @param queue the queue, which must exist
	 * @return the count
	 */
	public static int messageCount(ConnectionFactory factory, String queue) throws Exception {
		try (var connection = factory.createConnection()) {
			var channel = connection.createChannel(false);
			int count = channel.queueDeclarePassive(queue).getMessageCount();
			channel.close();
			return count;
		}
	}

	/** Delete a queue and the exchange of the same name, and its dead-letter queue. */
	public static void deleteQueue(ConnectionFactory factory, String queue) {
		try (var connection = factory.createConnection()) {
			var channel = connection.createChannel(false);
			channel.queueDelete(queue);
			channel.queueDelete("taskqueue.dead." + queue);
			channel.exchangeDelete(queue);
			channel.close();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not clean up queue " + queue, ex);
		}
	}

}
