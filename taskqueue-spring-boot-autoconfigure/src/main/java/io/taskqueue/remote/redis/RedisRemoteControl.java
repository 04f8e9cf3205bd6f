package io.taskqueue.remote.redis;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.taskqueue.remote.RemoteControlCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Celery's pidbox on Redis, as kombu lays it out: requests are published on {@code /<db>.celery.pidbox}
 * and answered by pushing a kombu envelope to the requester's list, found through
 * {@code _kombu.binding.reply.celery.pidbox}.
 */
public class RedisRemoteControl implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisRemoteControl.class);

	private static final String SEPARATOR = "\u0006\u0016";

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final RemoteControlCommands commands;

	private final JsonMapper mapper;

	private final int database;

	private @Nullable RedisMessageListenerContainer container;

	/**
	 * Create the responder.
	 * @param connectionFactory the broker's Redis connections
	 * @param commands what to answer
	 * @param mapper the JSON mapper
	 * @param database the broker's database number (part of kombu's channel names)
	 */
	public RedisRemoteControl(RedisConnectionFactory connectionFactory, RemoteControlCommands commands,
			JsonMapper mapper, int database) {
		this.connectionFactory = connectionFactory;
		this.redis = new StringRedisTemplate(connectionFactory);
		this.commands = commands;
		this.mapper = mapper;
		this.database = database;
	}

	@Override
	public synchronized void start() {
		RedisMessageListenerContainer listeners = new RedisMessageListenerContainer();
		listeners.setConnectionFactory(this.connectionFactory);
		listeners.afterPropertiesSet();
		listeners.start();
		listeners.addMessageListener(this::onRequest, new ChannelTopic("/" + this.database + ".celery.pidbox"));
		this.container = listeners;
		logger.info("Answering Celery remote control as " + this.commands.nodeName());
	}

	@SuppressWarnings("unchecked")
	private void onRequest(Message message, byte @Nullable [] pattern) {
		try {
			Map<String, Object> envelope = this.mapper.readValue(message.getBody(), Map.class);
			Map<String, Object> properties = (Map<String, Object>) envelope.get("properties");
			String body = String.valueOf(envelope.get("body"));
			byte[] json = (properties != null && "base64".equals(properties.get("body_encoding")))
					? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
			Map<String, Object> request = this.mapper.readValue(json, Map.class);
			Map<String, Object> reply = this.commands.handle(request);
			if (reply != null && request.get("reply_to") instanceof Map<?, ?> replyTo) {
				reply(String.valueOf(replyTo.get("exchange")), String.valueOf(replyTo.get("routing_key")),
						request.get("ticket"), reply);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not answer a remote-control request: " + ex.getMessage());
		}
	}

	private void reply(String exchange, String routingKey, @Nullable Object ticket, Map<String, Object> reply) {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("ticket", ticket);
		headers.put("clock", 1);
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("delivery_mode", 1);
		properties.put("delivery_info", Map.of("exchange", exchange, "routing_key", routingKey));
		properties.put("priority", 0);
		properties.put("body_encoding", "base64");
		properties.put("delivery_tag", UUID.randomUUID().toString());
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("body", Base64.getEncoder().encodeToString(this.mapper.writeValueAsBytes(reply)));
		envelope.put("content-encoding", "utf-8");
		envelope.put("content-type", "application/json");
		envelope.put("headers", headers);
		envelope.put("properties", properties);
		this.redis.opsForList().leftPush(replyQueue(exchange, routingKey), this.mapper.writeValueAsString(envelope));
	}

	private String replyQueue(String exchange, String routingKey) {
		Set<String> bindings = this.redis.opsForSet().members("_kombu.binding." + exchange);
		if (bindings != null) {
			for (String binding : bindings) {
				String[] parts = binding.split(SEPARATOR, -1);
				if (parts.length == 3 && parts[0].equals(routingKey)) {
					return parts[2];
				}
			}
		}
		return routingKey + "." + exchange;
	}

	@Override
	public synchronized void stop() {
		RedisMessageListenerContainer listeners = this.container;
		this.container = null;
		if (listeners != null) {
			try {
				listeners.destroy();
			}
			catch (Exception ex) {
				logger.debug("Could not stop the remote-control listener", ex);
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.container != null;
	}

}
