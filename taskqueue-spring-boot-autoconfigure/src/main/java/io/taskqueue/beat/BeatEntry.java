package io.taskqueue.beat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A periodic task: what to send and when. Declare entries under {@code taskqueue.beat.schedule.<name>}
 * or as beans.
 *
 * @param name the entry's unique name
 * @param task the task name to send
 * @param args the positional arguments
 * @param kwargs the keyword arguments
 * @param queue the queue, or {@code null} to route as usual
 * @param priority the priority, or {@code null}
 * @param expires how long after its tick a sent task may still start, or {@code null}
 * @param schedule when it fires
 * @param misfirePolicy what happens to ticks missed during downtime
 */
public record BeatEntry(String name, String task, List<?> args, Map<String, ?> kwargs, @Nullable String queue,
		@Nullable Integer priority, @Nullable Duration expires, BeatSchedule schedule, MisfirePolicy misfirePolicy) {

	/**
	 * An entry with no arguments or options.
	 * @param name the entry name
	 * @param task the task name
	 * @param schedule when it fires
	 * @return the entry
	 */
	public static BeatEntry of(String name, String task, BeatSchedule schedule) {
		return new BeatEntry(name, task, List.of(), Map.of(), null, null, null, schedule, MisfirePolicy.SKIP);
	}

}
