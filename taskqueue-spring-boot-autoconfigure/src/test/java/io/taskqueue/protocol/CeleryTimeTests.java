package io.taskqueue.protocol;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CeleryTimeTests {

	@Test
	void naiveValuesAreUtc() {
		assertThat(CeleryTime.parse("2026-11-22T03:54:08.107920")).isEqualTo(Instant.parse("2026-11-22T03:54:08.107920Z"));
		assertThat(CeleryTime.parse("2026-11-22T03:54:08")).isEqualTo(Instant.parse("2026-11-22T03:54:08Z"));
	}

	@Test
	void offsetsAreApplied() {
		assertThat(CeleryTime.parse("2026-11-22T05:54:08.5+02:00")).isEqualTo(Instant.parse("2026-11-22T03:54:08.5Z"));
		assertThat(CeleryTime.parse("2026-11-22T03:54:08Z")).isEqualTo(Instant.parse("2026-11-22T03:54:08Z"));
		assertThat(CeleryTime.parse("2026-11-21T22:54:08-05:00")).isEqualTo(Instant.parse("2026-11-22T03:54:08Z"));
	}

	@Test
	void formatsRoundTrip() {
		Instant instant = Instant.parse("2026-11-22T03:54:08.107920Z");
		assertThat(CeleryTime.parse(CeleryTime.format(instant))).isEqualTo(instant);
		assertThat(CeleryTime.parse(CeleryTime.formatNaive(instant))).isEqualTo(instant);
	}

	@Test
	void garbageIsAParseError() {
		assertThatExceptionOfType(DateTimeParseException.class).isThrownBy(() -> CeleryTime.parse("yesterday"));
	}

}
