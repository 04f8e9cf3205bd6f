package io.taskqueue.rabbit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The RabbitMQ integration tests talk to: {@code TASKQUEUE_TEST_RABBIT_URL}, else the local
 * RabbitMQ on 127.0.0.1:5672 (guest/guest), else (only when Docker is available) a Testcontainers
 * RabbitMQ. Tests use unique queue names and delete what they declare.
 */
public final class RabbitTestSupport {

	private static URI uri;

	private static GenericContainer<?> container;

	private RabbitTestSupport() {
	}

	public static synchronized URI uri() {
		if (uri != null) {
			return uri;
		}
		String configured = System.getenv("TASKQUEUE_TEST_RABBIT_URL");
		URI candidate = URI.create((configured != null) ? configured : "amqp://guest:guest@127.0.0.1:5672");
		if (reachable(candidate.getHost(), candidate.getPort())) {
			uri = candidate;
		}
		else if (DockerClientFactory.instance().isDockerAvailable()) {
			container = new GenericContainer<>("rabbitmq:3.13").withExposedPorts(5672);
			container.start();
			uri = URI.create("amqp://guest:guest@" + container.getHost() + ":" + container.getMappedPort(5672));
		}
		else {
			throw new IllegalStateException("No RabbitMQ for the integration tests at " + candidate
					+ " and no Docker for Testcontainers: start RabbitMQ (bash .ci/run does) or set TASKQUEUE_TEST_RABBIT_URL");
		}
		return uri;
	}

	public static CachingConnectionFactory connectionFactory() {
		CachingConnectionFactory factory = new CachingConnectionFactory(uri());
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

	/** Delete a queue and the exchange of the same name, and its dead-letter queue. */
	public static void deleteQueue(CachingConnectionFactory factory, String queue) {
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

	static boolean reachable(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
