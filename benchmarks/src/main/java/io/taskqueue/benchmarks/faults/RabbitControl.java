package io.taskqueue.benchmarks.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine's RabbitMQ, driven with {@code rabbitmqctl} for the fault scenarios: its application
 * stopped and started (the broker restarting), and a memory alarm raised and cleared (the broker
 * blocking publishers). Unlike Redis, the scenarios cannot start a RabbitMQ of their own, so every
 * fault is undone before a scenario ends.
 */
final class RabbitControl {

	private static final Pattern RELATIVE_WATERMARK = Pattern
		.compile("Memory high watermark setting: ([0-9.]+) of available memory");

	private RabbitControl() {
	}

	/** Stop the broker's application: connections close and publishes fail until {@link #startApp()}. */
	static void stopApp() throws IOException, InterruptedException {
		run("stop_app");
	}

	/** Start the broker's application again, recovering its durable queues and persistent messages. */
	static void startApp() throws IOException, InterruptedException {
		run("start_app");
	}

	/**
	 * Raise a memory alarm by setting the high watermark to one byte: RabbitMQ stops reading from
	 * publishing connections until {@link #clearMemoryAlarm(String)}.
	 * @return the relative watermark in effect before, to set back
	 */
	static String raiseMemoryAlarm() throws IOException, InterruptedException {
		Matcher watermark = RELATIVE_WATERMARK.matcher(run("status"));
		if (!watermark.find()) {
			throw new IllegalStateException("RabbitMQ's memory watermark is not relative; not touching it");
		}
		run("set_vm_memory_high_watermark", "absolute", "1");
		return watermark.group(1);
	}

	/**
	 * Clear the alarm of {@link #raiseMemoryAlarm()}.
	 * @param watermark the relative watermark to set back
	 */
	static void clearMemoryAlarm(String watermark) throws IOException, InterruptedException {
		run("set_vm_memory_high_watermark", watermark);
	}

	private static String run(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
		command.addAll(List.of(arguments));
		Path output = Files.createTempFile("rabbitmqctl", ".out");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(command + " did not finish within 60 s");
			}
			String printed = Files.readString(output);
			if (process.exitValue() != 0) {
				throw new IOException(command + " failed: " + printed);
			}
			return printed;
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

}
