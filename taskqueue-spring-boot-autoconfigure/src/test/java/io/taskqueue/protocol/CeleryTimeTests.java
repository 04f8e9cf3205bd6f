package io.taskqueue.protocol;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Random;

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
		assertThatExceptionOfType(DateTimeParseException.class)
			.isThrownBy(() -> CeleryTime.parse("2026-02-30T03:54:08Z"));
		assertThatExceptionOfType(DateTimeParseException.class)
			.isThrownBy(() -> CeleryTime.parse("2026-11-22T24:00:00"));
		assertThatExceptionOfType(DateTimeParseException.class)
			.isThrownBy(() -> CeleryTime.parse("2026-11-22T03:54:08.1234567890Z"));
		assertThatExceptionOfType(DateTimeParseException.class)
			.isThrownBy(() -> CeleryTime.parse("2026-11-22T03:54:08+18:30"));
	}

	@Test
	void yearsBeyondFourDigitsAreWrittenAsTheJdkWritesThem() {
		Instant far = Instant.parse("+12026-11-22T03:54:08.107920Z");
		assertThat(CeleryTime.format(far)).isEqualTo("+12026-11-22T03:54:08.107920+00:00");
		assertThat(CeleryTime.parse(CeleryTime.format(far))).isEqualTo(far);
	}

	@Test
	void otherIsoFormsAreStillRead() {
		assertThat(CeleryTime.parse("2026-11-22T05:54:08+02:00[Europe/Berlin]"))
			.isEqualTo(Instant.parse("2026-11-22T03:54:08Z"));
		assertThat(CeleryTime.parse("2026-11-22T03:54")).isEqualTo(Instant.parse("2026-11-22T03:54:00Z"));
		assertThat(CeleryTime.parse("2026-11-22T05:54:08+02:00:30")).isEqualTo(Instant.parse("2026-11-22T03:53:38Z"));
	}

	@Test
	void readsAndWritesWhatTheJdkFormattersDoForAnyInstant() {
		DateTimeFormatter celery = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");
		DateTimeFormatter naive = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
		Random random = new Random(42);
		for (int i = 0; i < 20_000; i++) {
			Instant instant = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_800L),
					(i % 3 == 0) ? 0 : random.nextInt(1_000_000_000));
			Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
			OffsetDateTime utc = micros.atOffset(ZoneOffset.UTC);
			assertThat(CeleryTime.format(instant)).isEqualTo(celery.format(utc));
			String naiveText = CeleryTime.formatNaive(instant);
			assertThat(naiveText).isEqualTo((micros.getNano() == 0)
					? DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").format(utc) : naive.format(utc));
			assertThat(CeleryTime.parse(naiveText)).isEqualTo(micros);
			ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
			String iso = instant.atOffset(offset).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
			assertThat(CeleryTime.parse(iso)).as(iso).isEqualTo(instant);
			String local = LocalDateTime.ofInstant(instant, ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
			assertThat(CeleryTime.parse(local)).as(local).isEqualTo(instant);
		}
	}

}
