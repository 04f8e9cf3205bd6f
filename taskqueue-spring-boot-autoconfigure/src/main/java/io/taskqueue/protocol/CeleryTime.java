package io.taskqueue.protocol;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;

/**
 * Timestamps as Celery writes them: {@code eta}/{@code expires} in ISO-8601 with an offset and
 * microseconds, {@code date_done} in naive UTC.
 */
public final class CeleryTime {

	private static final DateTimeFormatter WITH_OFFSET = DateTimeFormatter
		.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

	private static final DateTimeFormatter NAIVE_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

	private static final DateTimeFormatter NAIVE_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

	private CeleryTime() {
	}

	/**
	 * Format an instant as Celery's {@code eta}: UTC, microseconds, {@code +00:00}.
	 * @param instant the instant
	 * @return the formatted value
	 */
	public static String format(Instant instant) {
		return WITH_OFFSET.format(instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
	}

	/**
	 * Format an instant as Celery's {@code date_done}: naive UTC, fraction omitted when zero.
	 * @param instant the instant
	 * @return the formatted value
	 */
	public static String formatNaive(Instant instant) {
		LocalDateTime time = LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
		return (time.getNano() == 0) ? NAIVE_SECONDS.format(time) : NAIVE_MICROS.format(time);
	}

	/**
	 * Parse an ISO-8601 timestamp with an offset, with {@code Z}, or naive (read as UTC, as a
	 * Celery worker with {@code enable_utc} does).
	 * @param value the text
	 * @return the instant
	 * @throws DateTimeParseException if the text is not an ISO-8601 date-time
	 */
	public static Instant parse(String value) {
		// Asking the parsed fields for an offset, rather than trying OffsetDateTime first, keeps naive
		// values (every Celery date_done) from costing two exceptions each.
		TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(value);
		if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
			return OffsetDateTime.from(parsed).toInstant();
		}
		return LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
	}

}
