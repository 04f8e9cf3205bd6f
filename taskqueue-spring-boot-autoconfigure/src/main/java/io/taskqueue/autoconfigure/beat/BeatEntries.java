package io.taskqueue.autoconfigure.beat;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.taskqueue.autoconfigure.TaskQueueProperties;
import io.taskqueue.beat.BeatEntry;
import io.taskqueue.beat.BeatSchedule;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.util.StringUtils;

/**
 * Builds {@link BeatEntry BeatEntries} from {@code taskqueue.beat.schedule.*} and entry beans,
 * rejecting invalid entries at start-up with the entry and the key at fault.
 */
final class BeatEntries {

	private BeatEntries() {
	}

	static List<BeatEntry> of(Map<String, TaskQueueProperties.Beat.Entry> configured, List<BeatEntry> beans) {
		Map<String, BeatEntry> entries = new LinkedHashMap<>();
		configured.forEach((name, entry) -> entries.put(name, entry(name, entry)));
		for (BeatEntry bean : beans) {
			if (entries.putIfAbsent(bean.name(), bean) != null) {
				throw new IllegalStateException("Beat entry '" + bean.name() + "' is defined twice (as a bean and in"
						+ " taskqueue.beat.schedule, or as two beans); entry names must be unique");
			}
		}
		return new ArrayList<>(entries.values());
	}

	private static BeatEntry entry(String name, TaskQueueProperties.Beat.Entry entry) {
		String prefix = "taskqueue.beat.schedule." + name + ".";
		if (!StringUtils.hasText(entry.getTask())) {
			throw invalid(prefix + "task", null, "every entry needs the name of the task to send");
		}
		boolean cron = StringUtils.hasText(entry.getCron());
		boolean every = entry.getEvery() != null;
		if (cron == every) {
			throw invalid(prefix + (cron ? "every" : "cron"), cron ? entry.getEvery() : null,
					"set exactly one of 'cron' and 'every'");
		}
		BeatSchedule schedule = cron ? new BeatSchedule.Cron(cron(prefix, entry.getCron()), zone(prefix, entry.getZone()))
				: every(prefix, entry);
		return new BeatEntry(name, entry.getTask(), entry.getArgs(), entry.getKwargs(), entry.getQueue(),
				entry.getPriority(), entry.getExpires(), schedule, entry.getMisfirePolicy());
	}

	private static CronExpression cron(String prefix, String expression) {
		try {
			return CronExpression.parse(expression);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(prefix + "cron", expression, "not a Spring cron expression (six fields, seconds first): "
					+ ex.getMessage());
		}
	}

	private static ZoneId zone(String prefix, String zone) {
		try {
			return ZoneId.of(zone);
		}
		catch (DateTimeException ex) {
			throw invalid(prefix + "zone", zone, "unknown time zone; use an id such as 'UTC' or 'Europe/Berlin'");
		}
	}

	private static BeatSchedule every(String prefix, TaskQueueProperties.Beat.Entry entry) {
		try {
			return new BeatSchedule.Every(entry.getEvery());
		}
		catch (IllegalArgumentException ex) {
			throw invalid(prefix + "every", entry.getEvery(), ex.getMessage());
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String key, @Nullable Object value,
			String reason) {
		return new InvalidConfigurationPropertyValueException(key, value, reason);
	}

}
