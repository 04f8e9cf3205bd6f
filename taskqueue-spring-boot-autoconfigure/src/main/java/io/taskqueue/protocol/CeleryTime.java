package io.taskqueue.protocol;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;

import org.jspecify.annotations.Nullable;

/**
 * Timestamps as Celery writes them: {@code eta}/{@code expires} in ISO-8601 with an offset and
 * microseconds, {@code date_done} in naive UTC.
 *
 * <p>Every message and result carries a few of them, so the shapes Celery and taskqueue write are
 * read and written by hand (a {@link DateTimeFormatter} costs several microseconds each); other
 * ISO-8601 forms, and years outside 1-9999, still go through {@link DateTimeFormatter}s.
 */
public final class CeleryTime {

	private static final DateTimeFormatter WITH_OFFSET = DateTimeFormatter
		.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

	private static final DateTimeFormatter NAIVE_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

	private static final DateTimeFormatter NAIVE_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

	private static final Instant YEAR_1 = Instant.parse("0001-01-01T00:00:00Z");

	private static final Instant YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z");

	private static final int[] SCALE = { 1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
			1_000_000_000 };

	private CeleryTime() {
	}

	/**
	 * Format an instant as Celery's {@code eta}: UTC, microseconds, {@code +00:00}.
	 * @param instant the instant
	 * @return the formatted value
	 */
	public static String format(Instant instant) {
		if (!fourDigitYear(instant)) {
			return WITH_OFFSET.format(instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
		}
		StringBuilder text = new StringBuilder(32);
		appendUtc(text, instant, true);
		return text.append("+00:00").toString();
	}

	/**
	 * Format an instant as Celery's {@code date_done}: naive UTC, fraction omitted when zero.
	 * @param instant the instant
	 * @return the formatted value
	 */
	public static String formatNaive(Instant instant) {
		boolean micros = instant.getNano() / 1000 != 0;
		if (!fourDigitYear(instant)) {
			return (micros ? NAIVE_MICROS : NAIVE_SECONDS)
				.format(LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
		}
		StringBuilder text = new StringBuilder(26);
		appendUtc(text, instant, micros);
		return text.toString();
	}

	private static boolean fourDigitYear(Instant instant) {
		return !instant.isBefore(YEAR_1) && instant.isBefore(YEAR_10000);
	}

	private static void appendUtc(StringBuilder text, Instant instant, boolean micros) {
		LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
		pad(text, time.getYear(), 4).append('-');
		pad(text, time.getMonthValue(), 2).append('-');
		pad(text, time.getDayOfMonth(), 2).append('T');
		pad(text, time.getHour(), 2).append(':');
		pad(text, time.getMinute(), 2).append(':');
		pad(text, time.getSecond(), 2);
		if (micros) {
			pad(text.append('.'), instant.getNano() / 1000, 6);
		}
	}

	private static StringBuilder pad(StringBuilder text, int value, int width) {
		for (int scale = SCALE[width - 1]; scale > 1 && value < scale; scale /= 10) {
			text.append('0');
		}
		return text.append(value);
	}

	/**
	 * Parse an ISO-8601 timestamp with an offset, with {@code Z}, or naive (read as UTC, as a
	 * Celery worker with {@code enable_utc} does).
	 * @param value the text
	 * @return the instant
	 * @throws DateTimeParseException if the text is not an ISO-8601 date-time
	 */
	public static Instant parse(String value) {
		Instant common = parseCommon(value);
		return (common != null) ? common : parseAny(value);
	}

	/**
	 * Read {@code yyyy-MM-ddTHH:mm:ss}, an optional fraction of 1 to 9 digits, then {@code Z}, an
	 * offset {@code ±HH:MM} or nothing (UTC).
	 * @return the instant, or {@code null} for any other text (left to the full parser)
	 */
	private static @Nullable Instant parseCommon(String text) {
		int length = text.length();
		if (length < 19 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
				|| text.charAt(13) != ':' || text.charAt(16) != ':') {
			return null;
		}
		int year = number(text, 0, 4);
		int month = number(text, 5, 7);
		int day = number(text, 8, 10);
		int hour = number(text, 11, 13);
		int minute = number(text, 14, 16);
		int second = number(text, 17, 19);
		if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
				|| second < 0 || second > 59) {
			return null;
		}
		int index = 19;
		int nanos = 0;
		if (index < length && text.charAt(index) == '.') {
			int start = ++index;
			while (index < length && index - start < 10 && isDigit(text.charAt(index))) {
				index++;
			}
			int digits = index - start;
			if (digits == 0 || digits > 9) {
				return null;
			}
			nanos = number(text, start, index) * SCALE[9 - digits];
		}
		int offset = 0;
		if (index < length) {
			char sign = text.charAt(index);
			if (sign == 'Z' && index + 1 == length) {
				offset = 0;
			}
			else if ((sign == '+' || sign == '-') && index + 6 == length && text.charAt(index + 3) == ':') {
				int hours = number(text, index + 1, index + 3);
				int minutes = number(text, index + 4, index + 6);
				if (hours < 0 || minutes < 0 || minutes > 59 || hours > 18 || (hours == 18 && minutes != 0)) {
					return null;
				}
				offset = ((sign == '-') ? -1 : 1) * (hours * 3600 + minutes * 60);
			}
			else {
				return null;
			}
		}
		try {
			long days = LocalDate.of(year, month, day).toEpochDay();
			return Instant.ofEpochSecond(days * 86_400 + hour * 3600 + minute * 60 + second - offset, nanos);
		}
		catch (DateTimeException ex) {
			return null;
		}
	}

	/** The decimal number in {@code text[from, to)}, or -1 if it is not all digits. */
	private static int number(String text, int from, int to) {
		int value = 0;
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (!isDigit(c)) {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static Instant parseAny(String value) {
		// Asking the parsed fields for an offset, rather than trying OffsetDateTime first, keeps naive
		// values from costing two exceptions each.
		TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(value);
		if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
			return OffsetDateTime.from(parsed).toInstant();
		}
		return LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
	}

}
