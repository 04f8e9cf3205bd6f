package io.taskqueue.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time (user + system) of named processes between two points, read from {@code /proc}, to report
 * where the CPU of a run went: microseconds per task for the producer, the workers and the broker
 * (the budget of {@code PERFORMANCE.md} is about 100 µs per task for all of them together).
 */
final class CpuMeter {

	/** Linux reports process times in clock ticks of 1/100 s. */
	private static final long MICROS_PER_TICK = 10_000;

	private final Map<String, long[]> pids = new LinkedHashMap<>();

	private final Map<String, Long> startTicks = new LinkedHashMap<>();

	private final Map<String, Long> stopTicks = new LinkedHashMap<>();

	/**
	 * Add a group of processes, measured together.
	 * @param name the group's name in the figures
	 * @param processIds its processes
	 * @return this meter
	 */
	CpuMeter add(String name, long... processIds) {
		this.pids.put(name, processIds);
		return this;
	}

	/** Start measuring. */
	CpuMeter start() {
		this.stopTicks.clear();
		this.pids.forEach((name, ids) -> this.startTicks.put(name, ticks(ids)));
		return this;
	}

	/**
	 * Stop measuring, so that what runs after (deleting a round's results, say) is not counted.
	 * @return this meter
	 */
	CpuMeter stop() {
		this.pids.forEach((name, ids) -> this.stopTicks.put(name, ticks(ids)));
		return this;
	}

	/**
	 * CPU used by each group from {@link #start()} to {@link #stop()} (or to now, if not stopped), in
	 * microseconds per unit of work.
	 * @param units how many tasks the run did
	 * @return microseconds per task by group, with their total under {@code total}
	 */
	Map<String, Long> perUnit(int units) {
		Map<String, Long> used = new LinkedHashMap<>();
		long total = 0;
		for (Map.Entry<String, long[]> group : this.pids.entrySet()) {
			Long stopped = this.stopTicks.get(group.getKey());
			long end = (stopped != null) ? stopped : ticks(group.getValue());
			long micros = (end - this.startTicks.get(group.getKey())) * MICROS_PER_TICK;
			used.put(group.getKey(), micros / units);
			total += micros;
		}
		used.put("total", total / units);
		return used;
	}

	private static long ticks(long[] processIds) {
		long sum = 0;
		for (long pid : processIds) {
			sum += ticks(pid);
		}
		return sum;
	}

	private static long ticks(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			// Fields after the command name (which may hold spaces) start after the last ')'.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	/**
	 * Find a running process by its command name, as shown in {@code /proc/<pid>/comm}.
	 * @param command the command name, for example {@code beam.smp}
	 * @return its pid, or -1 when none runs (or it is not visible)
	 */
	static long findProcess(String command) {
		try (var entries = Files.list(Path.of("/proc"))) {
			return entries.filter((path) -> path.getFileName().toString().chars().allMatch(Character::isDigit))
				.filter((path) -> command.equals(readQuietly(path.resolve("comm"))))
				.mapToLong((path) -> Long.parseLong(path.getFileName().toString()))
				.findFirst()
				.orElse(-1);
		}
		catch (IOException ex) {
			return -1;
		}
	}

	private static String readQuietly(Path path) {
		try {
			return Files.readString(path).trim();
		}
		catch (IOException ex) {
			return "";
		}
	}

}
