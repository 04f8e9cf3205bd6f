package io.taskqueue.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CeleryMessageCodecTests {

	private static final JsonMapper mapper = new JsonMapper();

	private final CeleryMessageCodec codec = new CeleryMessageCodec(mapper, 1024 * 1024);

	private final CeleryMessageCodec withEmptyHeaders = new CeleryMessageCodec(mapper, 1024 * 1024, true);

	static Stream<String> redisTaskFixtures() {
		return fixtureNames("redis-task-").filter((name) -> CeleryFixtures.read(name).has("messages"));
	}

	static Stream<String> amqpTaskFixtures() {
		return fixtureNames("amqp-task-")
			.filter((name) -> CeleryFixtures.read(name).path("as_consumed_basic_get").size() > 0);
	}

	private static Stream<String> fixtureNames(String prefix) {
		JsonNode index = CeleryFixtures.read("INDEX");
		return index.valueStream().map(JsonNode::asString).filter((name) -> name.startsWith(prefix));
	}

	@ParameterizedTest
	@MethodSource("redisTaskFixtures")
	void decodesEveryCapturedRedisTaskMessage(String fixture) {
		JsonNode captured = CeleryFixtures.read(fixture).get("messages").get(0);
		TaskMessage message = this.codec.decode(CeleryFixtures.redisMessage(fixture));
		assertMatchesCapture(message, captured.get("envelope").get("headers"), captured.get("body_decoded"));
	}

	@ParameterizedTest
	@MethodSource("amqpTaskFixtures")
	void decodesEveryCapturedAmqpTaskMessage(String fixture) {
		JsonNode captured = CeleryFixtures.read(fixture).get("as_consumed_basic_get").get(0);
		TaskMessage message = this.codec.decode(CeleryFixtures.amqpMessage(fixture));
		assertMatchesCapture(message, captured.get("properties").get("application_headers"),
				captured.get("body_decoded"));
	}

	private void assertMatchesCapture(TaskMessage message, JsonNode headers, JsonNode body) {
		assertThat(message.task()).isEqualTo(headers.get("task").asString());
		assertThat(message.id()).isEqualTo(headers.get("id").asString());
		assertThat(message.rootId()).isEqualTo(headers.get("root_id").asString());
		assertThat(message.retries()).isEqualTo(headers.get("retries").asInt());
		assertThat((JsonNode) mapper.valueToTree(message.args())).isEqualTo(body.get(0));
		assertThat((JsonNode) mapper.valueToTree(message.kwargs())).isEqualTo(body.get(1));
		assertThat(message.embed().chain() == null).isEqualTo(body.get(2).get("chain").isNull());
		assertThat(message.embed().chord() == null).isEqualTo(body.get(2).get("chord").isNull());
		if (!headers.get("eta").isNull()) {
			assertThat(message.eta()).isEqualTo(Instant.parse(headers.get("eta").asString()));
		}
		if (!headers.get("expires").isNull()) {
			assertThat(message.expires()).isEqualTo(Instant.parse(headers.get("expires").asString()));
		}
	}

	@Test
	void decodesTimeLimitsHardFirstShadowAndIgnoreResult() {
		TaskMessage message = this.codec.decode(CeleryFixtures.redisMessage("redis-task-options"));
		assertThat(message.hardTimeLimit()).isEqualTo(30.0);
		assertThat(message.softTimeLimit()).isEqualTo(20.0);
		assertThat(message.shadow()).isEqualTo("interop.add[shadowed]");
		assertThat(message.ignoreResult()).isTrue();
	}

	@Test
	void decodesTheRemainingChainReversedAsCaptured() {
		TaskMessage message = this.codec.decode(CeleryFixtures.redisMessage("redis-task-chain"));
		assertThat(message.embed().chain()).extracting((signature) -> signature.get("task"))
			.containsExactly("interop.add", "interop.mul");
		assertThat(message.embed().chain().get(1)).containsEntry("args", List.of(10));
	}

	@Test
	void decodesChordMembersWithGroupAndIndex() {
		TaskMessage message = this.codec.decode(CeleryFixtures.redisMessage("redis-task-chord"));
		assertThat(message.groupId()).isNotNull();
		assertThat(message.groupIndex()).isZero();
		assertThat(message.embed().chord()).containsEntry("task", "interop.xsum");
	}

	@Test
	void withEmptyHeadersEncodesEveryHeaderCeleryProducersSendInTheirOrder() {
		JsonNode celeryHeaders = plainCeleryHeaders();
		TaskMessage message = TaskMessage.builder("interop.add", "057ddeef-8dc5-457e-a760-c1d2458af94a")
			.args(List.of(2))
			.kwargs(Map.of("y", 3))
			.origin("gen1@host")
			.replyTo("reply")
			.build();
		WireMessage wire = this.withEmptyHeaders.encode(message);
		assertThat(wire.headers().keySet()).containsExactlyElementsOf(fieldNames(celeryHeaders));
		assertThat(wire.headers()).containsEntry("task", "interop.add")
			.containsEntry("root_id", message.id())
			.containsEntry("retries", 0)
			.containsEntry("argsrepr", "(2,)")
			.containsEntry("kwargsrepr", "{'y': 3}")
			.containsEntry("ignore_result", false);
		assertThat((List<?>) wire.headers().get("timelimit")).containsExactly(null, null);
		assertThat(wire.properties().contentType()).isEqualTo("application/json");
		assertThat(wire.properties().contentEncoding()).isEqualTo("utf-8");
		assertThat(wire.properties().correlationId()).isEqualTo(message.id());
		assertThat(wire.properties().deliveryMode()).isEqualTo(2);
		JsonNode body = mapper.readTree(wire.body());
		assertThat(body).isEqualTo(CeleryFixtures.read("redis-task-plain").get("messages").get(0).get("body_decoded"));
	}

	@Test
	void encodesPersistentMessagesUnlessToldTransientAndDecodesEitherToTheSameMessage() {
		TaskMessage message = TaskMessage.builder("interop.add", "mode-1").args(List.of(2)).build();
		CeleryMessageCodec transientCodec = new CeleryMessageCodec(mapper, 1024 * 1024, false, DeliveryMode.TRANSIENT);
		WireMessage persistent = this.codec.encode(message);
		WireMessage transientMessage = transientCodec.encode(message);
		assertThat(persistent.properties().deliveryMode()).isEqualTo(2);
		assertThat(transientMessage.properties().deliveryMode()).isEqualTo(1);
		assertThat(transientMessage.headers()).isEqualTo(persistent.headers());
		assertThat(this.codec.decode(transientMessage).id()).isEqualTo("mode-1");
	}

	@Test
	void byDefaultLeavesOutExactlyTheHeadersCelerySendsEmptyAndDecodesToTheSameMessage() {
		JsonNode celeryHeaders = plainCeleryHeaders();
		List<String> celeryNonEmpty = fieldNames(celeryHeaders).stream()
			.filter((name) -> !celeryHeaders.get(name).isNull() && !"timelimit".equals(name))
			.toList();
		TaskMessage message = TaskMessage.builder("interop.add", "057ddeef-8dc5-457e-a760-c1d2458af94a")
			.args(List.of(2))
			.kwargs(Map.of("y", 3))
			.origin("gen1@host")
			.build();
		WireMessage compact = this.codec.encode(message);
		WireMessage full = this.withEmptyHeaders.encode(message);
		assertThat(compact.headers().keySet()).containsExactlyElementsOf(celeryNonEmpty);
		assertThat(compact.body()).isEqualTo(full.body());
		TaskMessage fromCompact = this.codec.decode(compact);
		TaskMessage fromFull = this.codec.decode(full);
		assertThat(fromCompact).usingRecursiveComparison().isEqualTo(fromFull);
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void customHeadersNeverStandInForProtocolHeaders(boolean emptyHeaders) {
		TaskMessage message = TaskMessage.builder("interop.add", "id-3")
			.header("eta", "2030-01-01T00:00:00+00:00")
			.header("timelimit", List.of(1, 2))
			.header("x-tenant", "acme")
			.build();
		WireMessage wire = (emptyHeaders ? this.withEmptyHeaders : this.codec).encode(message);
		assertThat(wire.headers().get("eta")).isNull();
		assertThat(wire.headers().get("timelimit")).isEqualTo(emptyHeaders ? Arrays.asList(null, null) : null);
		assertThat(wire.headers()).containsEntry("x-tenant", "acme");
		TaskMessage decoded = this.codec.decode(wire);
		assertThat(decoded.eta()).isNull();
		assertThat(decoded.hardTimeLimit()).isNull();
	}

	private static JsonNode plainCeleryHeaders() {
		return CeleryFixtures.read("redis-task-plain").get("messages").get(0).get("envelope").get("headers");
	}

	@Test
	void byDefaultSendsTimeLimitsGroupsAndParentsThatHaveAValue() {
		TaskMessage message = TaskMessage.builder("interop.add", "id-2")
			.timeLimits(30.0, null)
			.group("g-1", 0)
			.parentId("p-1")
			.build();
		WireMessage wire = this.codec.encode(message);
		assertThat(wire.headers().get("timelimit")).isEqualTo(Arrays.asList(30.0, null));
		assertThat(wire.headers()).containsEntry("group", "g-1")
			.containsEntry("group_index", 0)
			.containsEntry("parent_id", "p-1");
		TaskMessage decoded = this.codec.decode(wire);
		assertThat(decoded.hardTimeLimit()).isEqualTo(30.0);
		assertThat(decoded.softTimeLimit()).isNull();
		assertThat(decoded.groupId()).isEqualTo("g-1");
	}

	@Test
	void encodesEtaAndExpiresAsCeleryDoesWithOffsetAndMicroseconds() {
		Instant eta = Instant.parse("2026-11-21T21:05:02.124077Z");
		TaskMessage message = TaskMessage.builder("interop.add", "id-1").eta(eta).expires(eta.plusSeconds(60)).build();
		WireMessage wire = this.codec.encode(message);
		assertThat(wire.headers()).containsEntry("eta", "2026-11-21T21:05:02.124077+00:00")
			.containsEntry("expires", "2026-11-21T21:06:02.124077+00:00");
		assertThat(this.codec.decode(wire).eta()).isEqualTo(eta);
	}

	@Test
	void roundTripsEveryFieldThroughTheWireForm() {
		TaskMessage message = TaskMessage.builder("emails.send", "id-2")
			.args(List.of("a@b.c", Map.of("k", List.of(1, 2))))
			.kwargs(Map.of("lang", "h\u00e9llo \u2603"))
			.rootId("root")
			.parentId("parent")
			.group("group", 3)
			.retries(2)
			.timeLimits(30.0, 25.0)
			.priority(7)
			.header("traceparent", "00-abc-def-01")
			.embed(new Embed(List.of(Map.of("task", "next")), null, null, null))
			.build();
		TaskMessage decoded = this.codec.decode(this.codec.encode(message));
		assertThat(decoded.args()).isEqualTo(message.args());
		assertThat(decoded.kwargs()).isEqualTo(message.kwargs());
		assertThat(decoded.rootId()).isEqualTo("root");
		assertThat(decoded.parentId()).isEqualTo("parent");
		assertThat(decoded.groupId()).isEqualTo("group");
		assertThat(decoded.groupIndex()).isEqualTo(3);
		assertThat(decoded.retries()).isEqualTo(2);
		assertThat(decoded.hardTimeLimit()).isEqualTo(30.0);
		assertThat(decoded.softTimeLimit()).isEqualTo(25.0);
		assertThat(decoded.priority()).isEqualTo(7);
		assertThat(decoded.extraHeaders()).containsEntry("traceparent", "00-abc-def-01");
		assertThat(decoded.embed().callbacks()).containsExactly(Map.of("task", "next"));
	}

	@Test
	void refusesPickleWithoutReadingTheBody() {
		WireMessage pickle = withProperties(valid(), new WireProperties("application/x-python-serialize", "binary",
				"id", null, 0, 2));
		assertThatExceptionOfType(MessageDecodingException.class).isThrownBy(() -> this.codec.decode(pickle))
			.withMessageContaining("pickle")
			.withMessageContaining("only application/json")
			.satisfies((ex) -> assertThat(ex.getTaskId()).isEqualTo("id-3"));
	}

	@Test
	void refusesAMessageWithoutContentType() {
		WireMessage message = withProperties(valid(), new WireProperties(null, null, "id", null, 0, 2));
		assertThatExceptionOfType(MessageDecodingException.class).isThrownBy(() -> this.codec.decode(message))
			.withMessageContaining("no content type");
	}

	@Test
	void refusesBodiesThatAreNotJson() {
		assertDecodingFails(withBody(valid(), "[[1, 2], {}, {"), "not valid JSON");
	}

	@Test
	void refusesTwoElementBodiesThatCrashPythonWorkers() {
		assertDecodingFails(withBody(valid(), "[[1, 2], {}]"), "must be a JSON array [args, kwargs, embed]");
	}

	@Test
	void refusesProtocolVersionOne() {
		assertDecodingFails(withBody(valid(), "{\"task\": \"interop.add\", \"id\": \"x\", \"args\": []}"),
				"protocol v1 is not supported");
	}

	@Test
	void refusesArgsThatAreNotAnArray() {
		assertDecodingFails(withBody(valid(), "[{\"x\": 1}, {}, {}]"), "element 0 (args) must be a JSON array");
	}

	@Test
	void refusesMissingTaskHeader() {
		WireMessage valid = valid();
		Map<String, Object> headers = new java.util.LinkedHashMap<>(valid.headers());
		headers.remove("task");
		assertDecodingFails(new WireMessage(headers, valid.properties(), valid.body()), "no 'task' header");
	}

	@Test
	void refusesInvalidEta() {
		WireMessage valid = valid();
		Map<String, Object> headers = new java.util.LinkedHashMap<>(valid.headers());
		headers.put("eta", "next tuesday");
		assertDecodingFails(new WireMessage(headers, valid.properties(), valid.body()),
				"Header 'eta' is not an ISO-8601 date-time");
	}

	@Test
	void refusesBodiesOverTheSizeLimit() {
		CeleryMessageCodec small = new CeleryMessageCodec(mapper, 10);
		assertThatExceptionOfType(MessageDecodingException.class).isThrownBy(() -> small.decode(valid()))
			.withMessageContaining("exceeds the limit of 10 bytes");
	}

	@Test
	void acceptsNaiveAndZuluTimestampsAsUtc() {
		assertThat(CeleryTime.parse("2030-01-01T12:00:00")).isEqualTo(Instant.parse("2030-01-01T12:00:00Z"));
		assertThat(CeleryTime.parse("2030-01-01T12:00:00Z")).isEqualTo(Instant.parse("2030-01-01T12:00:00Z"));
		assertThat(CeleryTime.parse("2030-01-01T14:00:00+02:00")).isEqualTo(Instant.parse("2030-01-01T12:00:00Z"));
		assertThat(CeleryTime.formatNaive(Instant.parse("2026-11-21T20:48:54Z"))).isEqualTo("2026-11-21T20:48:54");
	}

	private void assertDecodingFails(WireMessage message, String reason) {
		assertThatExceptionOfType(MessageDecodingException.class).isThrownBy(() -> this.codec.decode(message))
			.withMessageContaining(reason);
	}

	private WireMessage valid() {
		return this.codec.encode(TaskMessage.builder("interop.add", "id-3").args(List.of(1, 2)).build());
	}

	private static WireMessage withBody(WireMessage message, String body) {
		return new WireMessage(message.headers(), message.properties(), body.getBytes(StandardCharsets.UTF_8));
	}

	private static WireMessage withProperties(WireMessage message, WireProperties properties) {
		return new WireMessage(message.headers(), properties, message.body());
	}

	private static List<String> fieldNames(JsonNode node) {
		List<String> names = new java.util.ArrayList<>();
		Iterator<String> iterator = node.propertyNames().iterator();
		iterator.forEachRemaining(names::add);
		return names;
	}

}
