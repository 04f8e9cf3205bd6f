package io.taskqueue.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the Celery captures (vendored from {@code shared/celery-protocol/fixtures} into
 * {@code src/test/resources/celery-protocol}) and turns captured messages into {@link WireMessage}s.
 */
public final class CeleryFixtures {

	private static final JsonMapper mapper = new JsonMapper();

	private CeleryFixtures() {
	}

	public static JsonNode read(String name) {
		String resource = "/celery-protocol/" + name + ".json";
		try (InputStream input = CeleryFixtures.class.getResourceAsStream(resource)) {
			if (input == null) {
				throw new IllegalStateException("No Celery fixture " + resource + " on the test classpath");
			}
			return mapper.readTree(input);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The first task message a Redis fixture captured, as kombu's envelope carried it. */
	public static WireMessage redisMessage(String name) {
		JsonNode envelope = read(name).get("messages").get(0).get("envelope");
		JsonNode properties = envelope.get("properties");
		byte[] body = Base64.getDecoder().decode(envelope.get("body").asString());
		return new WireMessage(headers(envelope.get("headers")),
				new WireProperties(envelope.get("content-type").asString(),
						envelope.get("content-encoding").asString(), properties.get("correlation_id").asString(),
						properties.get("reply_to").asString(), optionalInt(properties, "priority"),
						properties.get("delivery_mode").asInt()),
				body);
	}

	/** The first task message an AMQP fixture captured, as a consumer received it. */
	public static WireMessage amqpMessage(String name) {
		JsonNode consumed = read(name).get("as_consumed_basic_get").get(0);
		JsonNode properties = consumed.get("properties");
		return new WireMessage(headers(properties.get("application_headers")),
				new WireProperties(properties.get("content_type").asString(),
						properties.get("content_encoding").asString(), properties.get("correlation_id").asString(),
						properties.has("reply_to") ? properties.get("reply_to").asString() : null,
						optionalInt(properties, "priority"), properties.get("delivery_mode").asInt()),
				consumed.get("body_text").asString().getBytes(StandardCharsets.UTF_8));
	}

	private static Integer optionalInt(JsonNode node, String name) {
		return node.has(name) ? node.get(name).asInt() : null;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> headers(JsonNode headers) {
		return new LinkedHashMap<>(mapper.convertValue(headers, Map.class));
	}

}
