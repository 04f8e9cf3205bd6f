package io.taskqueue.observation.redis;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.taskqueue.observation.CeleryEventTransport;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Publishes Celery events as kombu does on Redis, where {@code celeryev} is a fanout exchange: a kombu
 * envelope PUBLISHed on {@code /<db>.celeryev/<routing key>}.
 */
public class RedisCeleryEventTransport implements CeleryEventTransport {

	private final StringRedisTemplate redis;

	private final JsonMapper mapper;

	private final int database;

	/**
	 * Create a transport.
	 * @param connectionFactory the broker's Redis connections
	 * @param mapper the JSON mapper
	 * @param database the broker's database number
	 */
	public RedisCeleryEventTransport(RedisConnectionFactory connectionFactory, JsonMapper mapper, int database) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.mapper = mapper;
		this.database = database;
	}

	@Override
	public void send(String routingKey, Map<String, Object> event) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("delivery_mode", 1);
		properties.put("delivery_info", Map.of("exchange", "celeryev", "routing_key", routingKey));
		properties.put("priority", 0);
		properties.put("body_encoding", "base64");
		properties.put("delivery_tag", UUID.randomUUID().toString());
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("body", Base64.getEncoder().encodeToString(this.mapper.writeValueAsBytes(event)));
		envelope.put("content-encoding", "utf-8");
		envelope.put("content-type", "application/json");
		envelope.put("headers", Map.of("hostname", event.get("hostname")));
		envelope.put("properties", properties);
		this.redis.convertAndSend("/" + this.database + ".celeryev/" + routingKey, this.mapper.writeValueAsString(envelope));
	}

}
