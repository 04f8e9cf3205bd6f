package io.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.scheduling.support.CronExpression;

import static org.assertj.core.api.Assertions.assertThat;

class BeatScheduleTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	private final BeatSchedule daily0230 = new BeatSchedule.Cron(CronExpression.parse("0 30 2 * * *"), BERLIN);

	@Test
	void aDailyJobAt0230RunsOnceOnTheDayTheClocksGoForward() {
		assertThat(firesOn(LocalDate.of(2026, 3, 29))).hasSize(1);
	}

	@Test
	void aDailyJobAt0230RunsOnceOnTheDayTheClocksGoBack() {
		List<Instant> fires = firesOn(LocalDate.of(2026, 10, 25));
		assertThat(fires).containsExactly(Instant.parse("2026-10-25T00:30:00Z"));
	}

	@Test
	void aDailyJobRunsOnceOnOrdinaryDaysAtItsLocalTime() {
		assertThat(firesOn(LocalDate.of(2026, 7, 1))).containsExactly(Instant.parse("2026-07-01T00:30:00Z"));
		assertThat(firesOn(LocalDate.of(2026, 12, 1))).containsExactly(Instant.parse("2026-12-01T01:30:00Z"));
	}

	@Test
	void intervalsTickAtMultiplesOfTheIntervalSinceTheEpoch() {
		BeatSchedule every = new BeatSchedule.Every(Duration.ofMinutes(5));
		assertThat(every.next(Instant.parse("2026-11-21T10:02:13Z"))).isEqualTo(Instant.parse("2026-11-21T10:05:00Z"));
		assertThat(every.next(Instant.parse("2026-11-21T10:05:00Z"))).isEqualTo(Instant.parse("2026-11-21T10:10:00Z"));
	}

	private List<Instant> firesOn(LocalDate day) {
		Instant start = day.atStartOfDay(BERLIN).toInstant().minusNanos(1);
		Instant end = day.plusDays(1).atStartOfDay(BERLIN).toInstant();
		List<Instant> fires = new ArrayList<>();
		Instant next = this.daily0230.next(start);
		while (next != null && next.isBefore(end)) {
			fires.add(next);
			next = this.daily0230.next(next);
		}
		return fires;
	}

}
