package io.taskqueue.test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TestClockTests {

	private final TestClock clock = new TestClock();

	@Test
	void advancingMovesTheClockAndItsZonedViewsForward() {
		var berlin = this.clock.withZone(ZoneId.of("Europe/Berlin"));
		Instant before = Instant.now();
		this.clock.advance(Duration.ofDays(1));
		assertThat(this.clock.instant()).isAfterOrEqualTo(before.plus(Duration.ofDays(1)));
		assertThat(berlin.instant()).isAfterOrEqualTo(before.plus(Duration.ofDays(1)));
		assertThat(berlin.getZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
	}

	@Test
	void theClockKeepsRunningAfterBeingSet() {
		Instant start = Instant.parse("2030-03-31T00:59:59Z");
		this.clock.setInstant(start);
		assertThat(this.clock.instant()).isBetween(start, start.plusSeconds(5));
		this.clock.reset();
		assertThat(this.clock.offset()).isZero();
	}

	@Test
	void goingBackwardsIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.clock.advance(Duration.ofSeconds(-1)))
			.withMessageContaining("setInstant");
	}

}
