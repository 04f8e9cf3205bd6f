package io.taskqueue.hardening;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.taskqueue.protocol.WireMessage;
import io.taskqueue.protocol.WireProperties;

/**
 * Makes bad messages out of good ones, the way a broken or hostile producer would: truncated and
 * corrupted bodies, foreign content types, missing or ill-typed headers, wrong body shapes, deep
 * nesting, oversized bodies, unknown tasks and arguments that do not fit. Deterministic for a seed.
 */
final class MessageMutator {

	static final int KINDS = 13;

	private static final List<String> FOREIGN_TYPES = Arrays.asList("application/x-python-serialize",
			"application/x-yaml", "application/x-msgpack", "application/x-java-serialized-object", "text/plain", null);

	private static final List<String> HEADERS = List.of("id", "task", "eta", "expires", "retries", "timelimit",
			"root_id", "parent_id", "group", "argsrepr");

	private static final List<String> SHAPES = List.of("[]", "{}", "\"text\"", "[1, 2, 3]", "[null, null, null]",
			"[[], [], {}, 4]", "[{}, [], {}]", "[[1], {\"x\": 1}]", "null", "");

	private static final List<Object> BAD_VALUES = Arrays.asList("not-a-date", 12, List.of(1, 2), Map.of("a", 1),
			"2024-13-45T99:99:99", "", true, -1, "NaN");

	private final Random random;

	private final int maxBodySize;

	MessageMutator(long seed, int maxBodySize) {
		this.random = new Random(seed);
		this.maxBodySize = maxBodySize;
	}

	/**
	 * Return a mutation of the message; the kind is {@code index % KINDS}, so every kind is covered.
	 */
	WireMessage mutate(WireMessage seed, int index) {
		Map<String, Object> headers = new LinkedHashMap<>(seed.headers());
		WireProperties properties = seed.properties();
		byte[] body = seed.body();
		switch (index % KINDS) {
			case 0 -> body = Arrays.copyOf(body, this.random.nextInt(Math.max(1, body.length)));
			case 1 -> body = flipBytes(body);
			case 2 -> body = randomBytes(1 + this.random.nextInt(200));
			case 3 -> properties = withContentType(properties, pick(FOREIGN_TYPES));
			case 4 -> headers.remove(pick(HEADERS));
			case 5 -> headers.put(pick(List.of("eta", "expires", "retries", "timelimit", "id", "task")),
					pick(BAD_VALUES));
			case 6 -> body = pick(SHAPES).getBytes(StandardCharsets.UTF_8);
			case 7 -> body = deeplyNested(1_000 + this.random.nextInt(50_000));
			case 8 -> body = oversized();
			case 9 -> headers.put("task", "no.such.task." + this.random.nextInt(1000));
			case 10 -> body = pick(List.of("[[\"two\", \"three\"], {}, {}]", "[[1, 2, 3, 4], {}, {}]",
					"[[], {\"nope\": 1}, {}]", "[[{\"x\": 1}, [2]], {}, {}]", "[[1], {\"x\": 2}, {}]",
					"[[9223372036854775808, 1], {}, {}]")).getBytes(StandardCharsets.UTF_8);
			case 11 -> properties = new WireProperties(properties.contentType(),
					pick(List.of("utf-16", "binary", "latin-1", "gzip")), properties.correlationId(),
					properties.replyTo(), properties.priority(), properties.deliveryMode());
			default -> {
				headers.put("id", pick(BAD_VALUES));
				headers.put("retries", pick(BAD_VALUES));
			}
		}
		return new WireMessage(headers, properties, body);
	}

	private byte[] flipBytes(byte[] body) {
		byte[] copy = body.clone();
		int flips = 1 + this.random.nextInt(5);
		for (int i = 0; i < flips && copy.length > 0; i++) {
			copy[this.random.nextInt(copy.length)] = (byte) this.random.nextInt(256);
		}
		return copy;
	}

	private byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		this.random.nextBytes(bytes);
		return bytes;
	}

	private static byte[] deeplyNested(int depth) {
		return ("[[" + "[".repeat(depth) + "]".repeat(depth) + "], {}, {}]").getBytes(StandardCharsets.UTF_8);
	}

	private byte[] oversized() {
		StringBuilder text = new StringBuilder("[[\"");
		text.append("x".repeat(this.maxBodySize + 1 + this.random.nextInt(1000)));
		text.append("\"], {}, {}]");
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static WireProperties withContentType(WireProperties properties, String contentType) {
		return new WireProperties(contentType, properties.contentEncoding(), properties.correlationId(),
				properties.replyTo(), properties.priority(), properties.deliveryMode());
	}

	private <T> T pick(List<T> values) {
		return values.get(this.random.nextInt(values.size()));
	}

}
