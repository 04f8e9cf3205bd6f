package io.taskqueue.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops benchmark worker JVMs ({@link BenchWorker}) with the driver's class path.
 */
public final class WorkerProcesses implements AutoCloseable {

	private final List<Process> processes = new ArrayList<>();

	/**
	 * Start a worker and wait until its context is up.
	 * @param properties its {@code --name=value} arguments
	 * @param startup how long to wait
	 * @return the process
	 */
	public Process start(List<String> properties, Duration startup) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.add("-Xmx1g");
		String extra = System.getProperty("bench.worker.jvmArgs", "").trim();
		if (!extra.isEmpty()) {
			command.addAll(List.of(extra.split("\\s+")));
		}
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(BenchWorker.class.getName());
		command.addAll(properties);
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectInput(ProcessBuilder.Redirect.PIPE)
			.start();
		this.processes.add(process);
		CompletableFuture<Boolean> ready = new CompletableFuture<>();
		Thread reader = new Thread(() -> pump(process, ready), "bench-worker-output");
		reader.setDaemon(true);
		reader.start();
		try {
			ready.get(startup.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Worker did not start: " + command, ex);
		}
		return process;
	}

	private static void pump(Process process, CompletableFuture<Boolean> ready) {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				if (line.contains("BENCH-WORKER-READY")) {
					ready.complete(true);
				}
				else if (!line.isBlank()) {
					System.err.println("[worker " + process.pid() + "] " + line);
				}
			}
		}
		catch (IOException ex) {
			// the process ended
		}
		ready.complete(false);
	}

	/**
	 * Return the process ids of the running workers.
	 * @return their pids
	 */
	public long[] pids() {
		return this.processes.stream().filter(Process::isAlive).mapToLong(Process::pid).toArray();
	}

	static String classPathSeparator() {
		return File.pathSeparator;
	}

	@Override
	public void close() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroy();
		}
		for (Process process : this.processes) {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		this.processes.clear();
	}

}
