package io.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.taskqueue.broker.Delivery;
import io.taskqueue.broker.inmemory.InMemoryTaskBroker;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.observation.TaskEventPublisher;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.result.inmemory.InMemoryResultBackend;
import io.taskqueue.testing.MutableClock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Beat driven by a controllable clock: ticks, failover catch-up and misfire policies, counting what
 * reaches the broker.
 */
class BeatSchedulerTests {

	private static final Instant START = Instant.parse("2026-11-21T10:00:00.500Z");

	private final MutableClock clock = new MutableClock(START);

	private final InMemoryTaskBroker broker = new InMemoryTaskBroker();

	private final TaskTemplate tasks = new TaskTemplate(this.broker,
			new InMemoryResultBackend(new JsonMapper(), Duration.ofHours(1), this.clock),
			new CeleryMessageCodec(new JsonMapper(), 1 << 20), List.of(), "beat", new TaskEventPublisher(List.of()),
			this.clock);

	private final InMemoryBeatStore store = new InMemoryBeatStore(this.clock);

	private final List<Instant> sent = new ArrayList<>();

	private final BeatSettings settings = new BeatSettings(Duration.ofSeconds(3), Duration.ofSeconds(30), 100);

	@Test
	void theFirstStartFiresNothingMissedThenEachTickOnce() throws Exception {
		BeatScheduler beat = scheduler(BeatEntry.of("tick", "beat.tick", new BeatSchedule.Every(Duration.ofSeconds(1))));
		beat.tick();
		assertThat(sent()).isEmpty();
		this.clock.advance(Duration.ofSeconds(1));
		beat.tick();
		beat.tick();
		assertThat(sent()).containsExactly(Instant.parse("2026-11-21T10:00:01Z"));
		this.clock.advance(Duration.ofSeconds(2));
		beat.tick();
		assertThat(sent()).containsExactly(Instant.parse("2026-11-21T10:00:01Z"), Instant.parse("2026-11-21T10:00:02Z"),
				Instant.parse("2026-11-21T10:00:03Z"));
	}

	@Test
	void onlyTheLeaderSendsAndItsSuccessorCatchesUpWhatItMissed() throws Exception {
		BeatEntry entry = BeatEntry.of("tick", "beat.tick", new BeatSchedule.Every(Duration.ofSeconds(1)));
		BeatScheduler first = scheduler(entry);
		BeatScheduler second = scheduler(entry);
		first.tick();
		second.tick();
		assertThat(first.isLeader()).isTrue();
		assertThat(second.isLeader()).isFalse();
		this.clock.advance(Duration.ofSeconds(1));
		first.tick();
		second.tick();
		assertThat(sent()).hasSize(1);
		this.clock.advance(Duration.ofSeconds(5));
		second.tick();
		assertThat(second.isLeader()).isTrue();
		assertThat(sent()).containsExactly(Instant.parse("2026-11-21T10:00:01Z"), Instant.parse("2026-11-21T10:00:02Z"),
				Instant.parse("2026-11-21T10:00:03Z"), Instant.parse("2026-11-21T10:00:04Z"), Instant.parse("2026-11-21T10:00:05Z"),
				Instant.parse("2026-11-21T10:00:06Z"));
	}

	@Test
	void skipDropsTicksMissedLongerThanTheGrace() throws Exception {
		assertThat(afterTenMinutesDown(MisfirePolicy.SKIP)).containsExactly(Instant.parse("2026-11-21T10:10:00Z"));
	}

	@Test
	void fireOnceSendsOneOfTheMissedTicks() throws Exception {
		assertThat(afterTenMinutesDown(MisfirePolicy.FIRE_ONCE)).containsExactly(Instant.parse("2026-11-21T10:09:00Z"),
				Instant.parse("2026-11-21T10:10:00Z"));
	}

	@Test
	void fireAllSendsEveryMissedTick() throws Exception {
		assertThat(afterTenMinutesDown(MisfirePolicy.FIRE_ALL)).hasSize(10)
			.startsWith(Instant.parse("2026-11-21T10:01:00Z"))
			.endsWith(Instant.parse("2026-11-21T10:10:00Z"));
	}

	@Test
	void afterALongDowntimeFireOnceSendsOnlyTheLastMissedTick() throws Exception {
		BeatScheduler beat = scheduler(new BeatEntry("hourly", "beat.tick", List.of(), Map.of(), null, null, null,
				new BeatSchedule.Every(Duration.ofHours(1)), MisfirePolicy.FIRE_ONCE));
		beat.tick();
		this.clock.advance(Duration.ofDays(5));
		beat.tick();
		beat.tick();
		assertThat(sent()).as("the last missed tick, then the tick that is on time")
			.containsExactly(Instant.parse("2026-11-26T09:00:00Z"), Instant.parse("2026-11-26T10:00:00Z"));
	}

	@Test
	void afterALongDowntimeFireAllSendsNoMoreThanTheLimit() throws Exception {
		BeatScheduler beat = scheduler(new BeatEntry("hourly", "beat.tick", List.of(), Map.of(), null, null, null,
				new BeatSchedule.Every(Duration.ofHours(1)), MisfirePolicy.FIRE_ALL));
		beat.tick();
		this.clock.advance(Duration.ofDays(5));
		beat.tick();
		beat.tick();
		assertThat(sent()).as("the first 100 missed ticks, then the tick that is on time").hasSize(101)
			.startsWith(Instant.parse("2026-11-21T11:00:00Z"))
			.endsWith(Instant.parse("2026-11-26T10:00:00Z"));
	}

	@Test
	void aTickCarriesItsEntryOptionsAndADeterministicTaskId() throws Exception {
		BeatEntry entry = new BeatEntry("report", "reports.daily", List.of(7), Map.of("format", "pdf"), "reports", 5,
				Duration.ofMinutes(1), new BeatSchedule.Every(Duration.ofSeconds(1)), MisfirePolicy.SKIP);
		BeatScheduler beat = scheduler(entry);
		beat.tick();
		this.clock.advance(Duration.ofSeconds(1));
		beat.tick();
		Delivery delivery = this.broker.poll("reports", 1, Duration.ofSeconds(1)).get(0);
		Instant fire = Instant.parse("2026-11-21T10:00:01Z");
		assertThat(delivery.message().taskId()).isEqualTo(BeatScheduler.taskId(entry, fire));
		assertThat(delivery.message().headers()).containsEntry("task", "reports.daily")
			.containsEntry("beat_entry", "report")
			.containsEntry("expires", "2026-11-21T10:01:01.000000+00:00");
		assertThat(delivery.message().properties().priority()).isEqualTo(5);
		assertThat(new String(delivery.message().body())).startsWith("[[7],{\"format\":\"pdf\"}");
	}

	private List<Instant> afterTenMinutesDown(MisfirePolicy policy) throws Exception {
		BeatScheduler beat = scheduler(new BeatEntry("minutely", "beat.tick", List.of(), Map.of(), null, null, null,
				new BeatSchedule.Every(Duration.ofMinutes(1)), policy));
		beat.tick();
		this.clock.advance(Duration.ofMinutes(10));
		beat.tick();
		return sent();
	}

	private BeatScheduler scheduler(BeatEntry entry) {
		return new BeatScheduler(List.of(entry), this.store, this.tasks, this.settings, this.clock);
	}

	/** Every tick sent so far, in order. */
	private List<Instant> sent() throws InterruptedException {
		for (Delivery delivery : this.broker.poll("beat", 1000, Duration.ofMillis(1))) {
			this.sent.add(Instant.parse((String) delivery.message().headers().get("beat_fire_time")));
			this.broker.ack(delivery);
		}
		this.sent.sort(null);
		return List.copyOf(this.sent);
	}

}
