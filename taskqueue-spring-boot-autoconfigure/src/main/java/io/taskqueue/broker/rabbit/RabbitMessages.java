package io.taskqueue.broker.rabbit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import io.taskqueue.protocol.WireMessage;
import io.taskqueue.protocol.WireProperties;
import org.jspecify.annotations.Nullable;

/**
 * Maps task messages to AMQP messages the way Celery sends them: the task headers as the
 * application headers (strings as long strings, {@code null} as void, lists as arrays), the body as
 * UTF-8 JSON, and {@code content_type}, {@code content_encoding}, {@code correlation_id},
 * {@code reply_to}, {@code priority} and persistent delivery as basic properties.
 */
final class RabbitMessages {

	private RabbitMessages() {
	}

	static AMQP.BasicProperties properties(WireMessage message) {
		WireProperties properties = message.properties();
		return new AMQP.BasicProperties.Builder().contentType(properties.contentType())
			.contentEncoding(properties.contentEncoding())
			.correlationId(properties.correlationId())
			.replyTo(properties.replyTo())
			.priority((properties.priority() != null) ? properties.priority() : 0)
			.deliveryMode(properties.deliveryMode())
			.headers(message.headers())
			.build();
	}

	static WireMessage message(AMQP.BasicProperties properties, byte[] body) {
		Map<String, Object> headers = new LinkedHashMap<>();
		if (properties.getHeaders() != null) {
			properties.getHeaders().forEach((name, value) -> headers.put(name, plain(value)));
		}
		WireProperties wire = new WireProperties(properties.getContentType(), properties.getContentEncoding(),
				properties.getCorrelationId(), properties.getReplyTo(), properties.getPriority(),
				(properties.getDeliveryMode() != null) ? properties.getDeliveryMode() : 2);
		return new WireMessage(headers, wire, body);
	}

	/** Turn AMQP field values into plain JSON-like values: long strings to strings, recursively. */
	static @Nullable Object plain(@Nullable Object value) {
		if (value instanceof LongString longString) {
			return longString.toString();
		}
		if (value instanceof List<?> list) {
			List<Object> copy = new ArrayList<>(list.size());
			list.forEach((element) -> copy.add(plain(element)));
			return copy;
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> copy = new LinkedHashMap<>();
			map.forEach((key, element) -> copy.put(String.valueOf(key), plain(element)));
			return copy;
		}
		return value;
	}

}
