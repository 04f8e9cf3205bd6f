package io.taskqueue.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.taskqueue.crash.BeatTestApplication;
import io.taskqueue.crash.WorkerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three beat instances (separate JVMs) share one Redis with a one-second schedule; the leader is
 * killed with SIGKILL in the middle. Every tick from the first to the last is sent exactly once.
 */
class RedisBeatClusterIntegrationTests {

	private final String run = UUID.randomUUID().toString();

	private final String prefix = "tqbeat-" + this.run + ":";

	private final String queue = "beat-" + this.run;

	private final List<WorkerProcess> instances = new ArrayList<>();

	private final LettuceConnectionFactory connectionFactory = RedisTestSupport.connectionFactory();

	private final StringRedisTemplate redis = new StringRedisTemplate(this.connectionFactory);

	@AfterEach
	void tearDown() throws Exception {
		for (WorkerProcess instance : this.instances) {
			instance.close();
		}
		RedisTestSupport.deleteKeys(this.connectionFactory, this.prefix + "*");
		this.connectionFactory.destroy();
	}

	@Test
	void everyTickIsSentExactlyOnceWhileTheLeaderIsKilled() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.instances.add(WorkerProcess.start(BeatTestApplication.class, List.of("--taskqueue.beat.enabled=true",
					"--taskqueue.beat.lease=2s", "--taskqueue.broker.type=redis", "--taskqueue.result-backend.type=redis",
					"--taskqueue.redis.key-prefix=" + this.prefix, "--taskqueue.beat.schedule.tick.task=beat.tick",
					"--taskqueue.beat.schedule.tick.every=1s", "--taskqueue.beat.schedule.tick.queue=" + this.queue,
					"--spring.data.redis.host=" + RedisTestSupport.host(),
					"--spring.data.redis.port=" + RedisTestSupport.port(),
					"--spring.data.redis.database=" + RedisTestSupport.DATABASE)));
		}
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			this.instances.forEach((instance) -> assertThat(instance.isAlive()).as(instance.log()).isTrue());
			assertThat(ticks()).hasSizeGreaterThanOrEqualTo(4);
		});
		WorkerProcess leader = leader();
		leader.kill9();
		int ticksAtKill = ticks().size();
		await().atMost(Duration.ofSeconds(30)).until(() -> ticks().size() >= ticksAtKill + 6);
		for (WorkerProcess instance : this.instances) {
			instance.close();
		}
		Map<Instant, Integer> ticks = ticks();
		assertThat(ticks.values()).as("messages per fire time").allMatch((count) -> count == 1);
		Instant first = ticks.keySet().iterator().next();
		List<Instant> expected = new ArrayList<>();
		for (Instant tick = first; !tick.isAfter(((TreeMap<Instant, Integer>) ticks).lastKey()); tick = tick
			.plusSeconds(1)) {
			expected.add(tick);
		}
		assertThat(ticks.keySet()).as("no tick is missing, also around the failover").containsExactlyElementsOf(expected);
	}

	private WorkerProcess leader() {
		String instance = this.redis.opsForValue().get(this.prefix + "_taskqueue.beat.leader");
		assertThat(instance).isNotNull();
		long pid = Long.parseLong(instance.substring(3, instance.indexOf('@')));
		return this.instances.stream().filter((process) -> process.pid() == pid).findFirst().orElseThrow();
	}

	private Map<Instant, Integer> ticks() {
		JsonMapper mapper = new JsonMapper();
		Map<Instant, Integer> counts = new TreeMap<>();
		List<String> envelopes = this.redis.opsForList().range(this.prefix + this.queue, 0, -1);
		for (String envelope : (envelopes != null) ? envelopes : List.<String>of()) {
			JsonNode headers = mapper.readTree(envelope).get("headers");
			counts.merge(Instant.parse(headers.get("beat_fire_time").asString()), 1, Integer::sum);
		}
		return counts;
	}

}
