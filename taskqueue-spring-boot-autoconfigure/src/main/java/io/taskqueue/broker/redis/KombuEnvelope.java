package io.taskqueue.broker.redis;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.taskqueue.protocol.WireMessage;
import io.taskqueue.protocol.WireProperties;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * kombu's Redis envelope: the JSON object a queue list holds, with the body base64-encoded, the
 * content type and encoding under hyphenated keys, and {@code delivery_info}/{@code delivery_tag}
 * in the properties, which Python consumers require.
 */
final class KombuEnvelope {

	private final JsonMapper mapper;

	KombuEnvelope(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Encode a message for a queue, with a fresh delivery tag.
	 */
	String encode(WireMessage message, String queue) {
		WireProperties properties = message.properties();
		Map<String, Object> deliveryInfo = new LinkedHashMap<>();
		deliveryInfo.put("exchange", "");
		deliveryInfo.put("routing_key", queue);
		Map<String, Object> props = new LinkedHashMap<>();
		props.put("correlation_id", properties.correlationId());
		props.put("reply_to", properties.replyTo());
		props.put("delivery_mode", properties.deliveryMode());
		props.put("delivery_info", deliveryInfo);
		props.put("priority", (properties.priority() != null) ? properties.priority() : 0);
		props.put("body_encoding", "base64");
		props.put("delivery_tag", deliveryTag());
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("body", Base64.getEncoder().encodeToString(message.body()));
		envelope.put("content-encoding", properties.contentEncoding());
		envelope.put("content-type", properties.contentType());
		envelope.put("headers", message.headers());
		envelope.put("properties", props);
		return this.mapper.writeValueAsString(envelope);
	}

	/**
	 * A version 4 UUID, as kombu's delivery tags are. It only has to be unique, not unpredictable,
	 * so it comes from the thread's random generator rather than {@link UUID#randomUUID()}'s secure
	 * one, which takes a lock and reads the system's entropy source.
	 */
	static String deliveryTag() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
		return new UUID(high, low).toString();
	}

	/**
	 * Decode an envelope as received. Never throws: an envelope that cannot be read becomes a
	 * message without content type, which the worker rejects with a clear reason.
	 */
	Decoded decode(String raw) {
		Map<String, Object> envelope;
		try {
			envelope = asMap(this.mapper.readValue(raw, Object.class));
		}
		catch (JacksonException ex) {
			envelope = null;
		}
		if (envelope == null) {
			return new Decoded(new WireMessage(Map.of(), new WireProperties(null, null, null, null, null, 2),
					raw.getBytes(StandardCharsets.UTF_8)), false);
		}
		Map<String, Object> headers = asMap(envelope.get("headers"));
		Map<String, Object> props = asMap(envelope.get("properties"));
		props = (props != null) ? props : Map.of();
		Map<String, Object> deliveryInfo = asMap(props.get("delivery_info"));
		boolean redelivered = (headers != null && Boolean.TRUE.equals(headers.get("redelivered")))
				|| (deliveryInfo != null && Boolean.TRUE.equals(deliveryInfo.get("redelivered")));
		WireProperties properties = new WireProperties(string(envelope.get("content-type")),
				string(envelope.get("content-encoding")), string(props.get("correlation_id")),
				string(props.get("reply_to")), (props.get("priority") instanceof Number n) ? n.intValue() : null,
				(props.get("delivery_mode") instanceof Number n) ? n.intValue() : 2);
		return new Decoded(new WireMessage((headers != null) ? headers : Map.of(), properties,
				body(envelope.get("body"), string(props.get("body_encoding")))), redelivered);
	}

	/**
	 * Return the envelope marked as redelivered (as kombu marks restored messages).
	 */
	String markRedelivered(String raw) {
		try {
			Map<String, Object> envelope = asMap(this.mapper.readValue(raw, Object.class));
			if (envelope == null) {
				return raw;
			}
			Map<String, Object> headers = asMap(envelope.get("headers"));
			if (headers != null) {
				headers.put("redelivered", true);
			}
			Map<String, Object> props = asMap(envelope.get("properties"));
			Map<String, Object> deliveryInfo = (props != null) ? asMap(props.get("delivery_info")) : null;
			if (deliveryInfo != null) {
				deliveryInfo.put("redelivered", true);
			}
			return this.mapper.writeValueAsString(envelope);
		}
		catch (JacksonException ex) {
			return raw;
		}
	}

	private static byte[] body(@Nullable Object body, @Nullable String encoding) {
		String text = (body != null) ? body.toString() : "";
		if ("base64".equals(encoding)) {
			try {
				return Base64.getDecoder().decode(text);
			}
			catch (IllegalArgumentException ex) {
				return text.getBytes(StandardCharsets.UTF_8);
			}
		}
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Map<String, Object> asMap(@Nullable Object value) {
		return (value instanceof Map) ? (Map<String, Object>) value : null;
	}

	private static @Nullable String string(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	record Decoded(WireMessage message, boolean redelivered) {
	}

}
