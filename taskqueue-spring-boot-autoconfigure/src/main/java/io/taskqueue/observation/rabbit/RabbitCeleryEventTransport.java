package io.taskqueue.observation.rabbit;

import java.io.IOException;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import io.taskqueue.observation.CeleryEventTransport;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Publishes Celery events on RabbitMQ's {@code celeryev} topic exchange, declared as Celery declares
 * it (durable), transient messages with the {@code hostname} header.
 */
public class RabbitCeleryEventTransport implements CeleryEventTransport {

	private final ConnectionFactory connectionFactory;

	private final JsonMapper mapper;

	private @Nullable Channel channel;

	/**
	 * Create a transport.
	 * @param connectionFactory the broker's connections
	 * @param mapper the JSON mapper
	 */
	public RabbitCeleryEventTransport(ConnectionFactory connectionFactory, JsonMapper mapper) {
		this.connectionFactory = connectionFactory;
		this.mapper = mapper;
	}

	@Override
	public synchronized void send(String routingKey, Map<String, Object> event) {
		try {
			Channel current = this.channel;
			if (current == null || !current.isOpen()) {
				current = this.connectionFactory.createConnection().createChannel(false);
				current.exchangeDeclare("celeryev", BuiltinExchangeType.TOPIC, true);
				this.channel = current;
			}
			AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
				.contentEncoding("utf-8")
				.deliveryMode(1)
				.headers(Map.of("hostname", String.valueOf(event.get("hostname"))))
				.build();
			current.basicPublish("celeryev", routingKey, properties, this.mapper.writeValueAsBytes(event));
		}
		catch (IOException ex) {
			this.channel = null;
			throw new IllegalStateException("Could not publish a Celery event: " + ex.getMessage(), ex);
		}
	}

}
