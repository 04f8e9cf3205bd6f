package io.taskqueue.protocol;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes {@link TaskMessage}s to Celery task protocol v2 {@link WireMessage}s and decodes them
 * back, accepting only JSON.
 *
 * <p>Decoding validates everything a Python worker would crash on (missing content type, a body
 * that is not {@code [args, kwargs, embed]}, missing {@code task}/{@code id} headers) and reports
 * it as a {@link MessageDecodingException} that says what was wrong. No class named in a message
 * is ever loaded: bodies are read into plain JSON values only.
 */
public final class CeleryMessageCodec {

	private static final Set<String> PROTOCOL_HEADERS = Set.of("lang", "task", "id", "shadow", "eta", "expires", "group",
			"group_index", "retries", "timelimit", "root_id", "parent_id", "argsrepr", "kwargsrepr", "origin",
			"ignore_result");

	private static final Map<String, String> FOREIGN_CONTENT_TYPES = Map.of("application/x-python-serialize", "pickle",
			"application/x-yaml", "yaml", "application/x-msgpack", "msgpack", "application/data", "raw binary");

	private final JsonMapper mapper;

	private final long maxBodySize;

	private final boolean emptyHeaders;

	private final DeliveryMode deliveryMode;

	/**
	 * Create a codec that leaves headers without a value out of the messages it encodes.
	 * @param mapper the JSON mapper used for arguments and bodies
	 * @param maxBodySize the largest body, in bytes, that {@link #decode} accepts
	 * @see #CeleryMessageCodec(JsonMapper, long, boolean)
	 */
	public CeleryMessageCodec(JsonMapper mapper, long maxBodySize) {
		this(mapper, maxBodySize, false);
	}

	/**
	 * Create a codec.
	 * @param mapper the JSON mapper used for arguments and bodies
	 * @param maxBodySize the largest body, in bytes, that {@link #decode} accepts
	 * @param emptyHeaders whether encoded messages carry the protocol headers that have no value
	 * ({@code null}, and {@code timelimit} {@code [null, null]}) as Celery's own producers send them;
	 * a Celery worker reads a header left out as one that is {@code null}, and leaving them out makes
	 * messages smaller and cheaper for RabbitMQ to take in
	 */
	public CeleryMessageCodec(JsonMapper mapper, long maxBodySize, boolean emptyHeaders) {
		this(mapper, maxBodySize, emptyHeaders, DeliveryMode.PERSISTENT);
	}

	/**
	 * Create a codec whose messages have the given delivery mode.
	 * @param mapper the JSON mapper used for arguments and bodies
	 * @param maxBodySize the largest body, in bytes, that {@link #decode} accepts
	 * @param emptyHeaders whether encoded messages carry the protocol headers that have no value
	 * @param deliveryMode the delivery mode of every message this codec encodes
	 * @see #CeleryMessageCodec(JsonMapper, long, boolean)
	 */
	public CeleryMessageCodec(JsonMapper mapper, long maxBodySize, boolean emptyHeaders, DeliveryMode deliveryMode) {
		this.mapper = mapper;
		this.maxBodySize = maxBodySize;
		this.emptyHeaders = emptyHeaders;
		this.deliveryMode = deliveryMode;
	}

	/**
	 * Return the mapper this codec reads and writes JSON with.
	 * @return the mapper
	 */
	public JsonMapper mapper() {
		return this.mapper;
	}

	/**
	 * Encode a message: Celery v2 headers, JSON properties and a {@code [args, kwargs, embed]} body.
	 * @param message the message
	 * @return the wire form
	 * @throws MessageEncodingException if an argument cannot be written as JSON
	 */
	public WireMessage encode(TaskMessage message) {
		byte[] body = encodeBody(message);
		WireProperties properties = WireProperties.json(message.id(),
				(message.replyTo() != null) ? message.replyTo() : "", message.priority(), this.deliveryMode);
		return new WireMessage(headers(message), properties, body);
	}

	private byte[] encodeBody(TaskMessage message) {
		Map<String, Object> embed = new LinkedHashMap<>();
		embed.put("callbacks", message.embed().callbacks());
		embed.put("errbacks", message.embed().errbacks());
		embed.put("chain", message.embed().chain());
		embed.put("chord", message.embed().chord());
		try {
			return this.mapper.writeValueAsBytes(Arrays.asList(message.args(), message.kwargs(), embed));
		}
		catch (JacksonException ex) {
			throw new MessageEncodingException("Arguments of task '" + message.task() + "' cannot be written as JSON: "
					+ ex.getOriginalMessage(), ex);
		}
	}

	private Map<String, Object> headers(TaskMessage message) {
		Map<String, Object> headers = new LinkedHashMap<>();
		put(headers, "lang", "java");
		put(headers, "task", message.task());
		put(headers, "id", message.id());
		put(headers, "shadow", message.shadow());
		put(headers, "eta", (message.eta() != null) ? CeleryTime.format(message.eta()) : null);
		put(headers, "expires", (message.expires() != null) ? CeleryTime.format(message.expires()) : null);
		put(headers, "group", message.groupId());
		put(headers, "group_index", message.groupIndex());
		put(headers, "retries", message.retries());
		boolean limited = message.hardTimeLimit() != null || message.softTimeLimit() != null;
		put(headers, "timelimit",
				(limited || this.emptyHeaders) ? Arrays.asList(message.hardTimeLimit(), message.softTimeLimit()) : null);
		put(headers, "root_id", message.rootId());
		put(headers, "parent_id", message.parentId());
		put(headers, "argsrepr", PythonRepr.args(message.args()));
		put(headers, "kwargsrepr", PythonRepr.kwargs(message.kwargs()));
		put(headers, "origin", message.origin());
		put(headers, "ignore_result", message.ignoreResult());
		// A custom header never stands in for a protocol header, even one left out for want of a value.
		message.extraHeaders().forEach((name, value) -> {
			if (!PROTOCOL_HEADERS.contains(name)) {
				headers.putIfAbsent(name, value);
			}
		});
		return headers;
	}

	/** Put a protocol header; one without a value as Celery sends it only when empty headers are sent. */
	private void put(Map<String, Object> headers, String name, @Nullable Object value) {
		if (value != null) {
			headers.put(name, value);
		}
		else if (this.emptyHeaders) {
			headers.put(name, null);
		}
	}

	/**
	 * Decode a wire message into a task message.
	 * @param wire the message as received
	 * @return the task message
	 * @throws MessageDecodingException if the message is not a valid JSON Celery v2 task
	 */
	public TaskMessage decode(WireMessage wire) {
		String id = wire.taskId();
		checkContentType(wire.properties(), id);
		String task = wire.taskName();
		if (task == null || task.isBlank()) {
			throw new MessageDecodingException("Message has no 'task' header: cannot tell which task to run", id, null);
		}
		if (id == null || id.isBlank()) {
			throw new MessageDecodingException("Message for task '" + task + "' has no 'id' header", null, null);
		}
		if (wire.body().length > this.maxBodySize) {
			throw new MessageDecodingException("Body of " + wire.body().length + " bytes exceeds the limit of "
					+ this.maxBodySize + " bytes (taskqueue.worker.max-message-size)", id, null);
		}
		List<?> body = readBody(wire.body(), id);
		Map<String, Object> headers = wire.headers();
		TaskMessage.Builder builder = TaskMessage.builder(task, id)
			.args((List<?>) body.get(0))
			.kwargs(castMap(body.get(1)))
			.embed(readEmbed(body.get(2), id))
			.rootId(stringHeader(headers, "root_id"))
			.parentId(stringHeader(headers, "parent_id"))
			.group(stringHeader(headers, "group"), intHeader(headers, "group_index", id))
			.retries(defaultZero(intHeader(headers, "retries", id)))
			.eta(timeHeader(headers, "eta", id))
			.expires(timeHeader(headers, "expires", id))
			.shadow(stringHeader(headers, "shadow"))
			.origin(stringHeader(headers, "origin"))
			.ignoreResult(Boolean.TRUE.equals(headers.get("ignore_result")))
			.priority(wire.properties().priority())
			.replyTo(wire.properties().replyTo());
		readTimeLimits(headers.get("timelimit"), builder, id);
		headers.forEach((name, value) -> {
			if (!PROTOCOL_HEADERS.contains(name) && value != null) {
				builder.header(name, value);
			}
		});
		return builder.build();
	}

	private void checkContentType(WireProperties properties, @Nullable String id) {
		String contentType = properties.contentType();
		if (contentType == null || contentType.isBlank()) {
			throw new MessageDecodingException("Message has no content type; only application/json is accepted", id,
					null);
		}
		String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
		if (!WireProperties.JSON.equals(mediaType)) {
			String feature = FOREIGN_CONTENT_TYPES.get(mediaType);
			throw new MessageDecodingException("Unsupported content type '" + contentType + "'"
					+ ((feature != null) ? " (" + feature + " serializer)" : "")
					+ ": only application/json is accepted, the body was not deserialized", id, null);
		}
		String encoding = properties.contentEncoding();
		if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("utf-8")
				&& !encoding.equalsIgnoreCase("utf8")) {
			throw new MessageDecodingException("Unsupported content encoding '" + encoding + "': only utf-8 is accepted",
					id, null);
		}
	}

	private List<?> readBody(byte[] bytes, String id) {
		Object body;
		try {
			body = this.mapper.readValue(bytes, Object.class);
		}
		catch (JacksonException ex) {
			throw new MessageDecodingException("Body is not valid JSON: " + ex.getOriginalMessage(), id, ex);
		}
		if (body instanceof Map<?, ?> map && map.containsKey("task")) {
			throw new MessageDecodingException(
					"Celery task protocol v1 is not supported: send with task protocol 2 (the default since Celery 4)",
					id, null);
		}
		if (!(body instanceof List<?> list) || list.size() != 3) {
			throw new MessageDecodingException("Body must be a JSON array [args, kwargs, embed], got " + describe(body),
					id, null);
		}
		if (!(list.get(0) instanceof List)) {
			throw new MessageDecodingException("Body element 0 (args) must be a JSON array, got " + describe(list.get(0)),
					id, null);
		}
		if (!(list.get(1) instanceof Map)) {
			throw new MessageDecodingException(
					"Body element 1 (kwargs) must be a JSON object, got " + describe(list.get(1)), id, null);
		}
		return list;
	}

	private Embed readEmbed(@Nullable Object value, String id) {
		if (value == null) {
			return Embed.NONE;
		}
		if (!(value instanceof Map<?, ?> map)) {
			throw new MessageDecodingException("Body element 2 (embed) must be a JSON object, got " + describe(value),
					id, null);
		}
		Object chord = map.get("chord");
		if (chord != null && !(chord instanceof Map)) {
			throw new MessageDecodingException("embed.chord must be a signature object, got " + describe(chord), id,
					null);
		}
		return new Embed(signatures(map, "callbacks", id), signatures(map, "errbacks", id),
				signatures(map, "chain", id), (chord != null) ? castMap(chord) : null);
	}

	private @Nullable List<Map<String, Object>> signatures(Map<?, ?> embed, String key, String id) {
		Object value = embed.get(key);
		if (value == null) {
			return null;
		}
		if (!(value instanceof List<?> list) || !list.stream().allMatch(Map.class::isInstance)) {
			throw new MessageDecodingException("embed." + key + " must be a list of signature objects", id, null);
		}
		return list.stream().map(this::castMap).toList();
	}

	private void readTimeLimits(@Nullable Object value, TaskMessage.Builder builder, String id) {
		if (value == null) {
			return;
		}
		if (!(value instanceof List<?> limits) || limits.size() != 2) {
			throw new MessageDecodingException("Header 'timelimit' must be [hard, soft], got " + describe(value), id,
					null);
		}
		builder.timeLimits(seconds(limits.get(0), id), seconds(limits.get(1), id));
	}

	private @Nullable Double seconds(@Nullable Object value, String id) {
		if (value == null) {
			return null;
		}
		if (value instanceof Number number) {
			return number.doubleValue();
		}
		throw new MessageDecodingException("Header 'timelimit' must hold numbers or null, got " + describe(value), id,
				null);
	}

	private static @Nullable String stringHeader(Map<String, Object> headers, String name) {
		Object value = headers.get(name);
		return (value != null) ? value.toString() : null;
	}

	private static @Nullable Integer intHeader(Map<String, Object> headers, String name, String id) {
		Object value = headers.get(name);
		if (value == null) {
			return null;
		}
		if (value instanceof Number number) {
			return number.intValue();
		}
		throw new MessageDecodingException("Header '" + name + "' must be an integer, got " + describe(value), id,
				null);
	}

	private static int defaultZero(@Nullable Integer value) {
		return (value != null) ? value : 0;
	}

	private static @Nullable Instant timeHeader(Map<String, Object> headers, String name, String id) {
		Object value = headers.get(name);
		if (value == null) {
			return null;
		}
		try {
			return CeleryTime.parse(value.toString());
		}
		catch (DateTimeParseException ex) {
			throw new MessageDecodingException(
					"Header '" + name + "' is not an ISO-8601 date-time: '" + value + "'", id, ex);
		}
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> castMap(Object value) {
		return (Map<String, Object>) value;
	}

	private static String describe(@Nullable Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof List<?> list) {
			return "an array of " + list.size() + " element(s)";
		}
		if (value instanceof Map) {
			return "an object";
		}
		return "a " + value.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " (" + value + ")";
	}

}
