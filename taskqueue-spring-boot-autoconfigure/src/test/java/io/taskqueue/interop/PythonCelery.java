package io.taskqueue.interop;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * Real Python Celery 5.2 (Debian's python3-celery) as a test peer: a worker process consuming a
 * queue, and a producer that sends one task and reports its outcome. Processes are bounded by
 * timeouts and stopped by the test.
 */
final class PythonCelery implements AutoCloseable {

	private static final String PYTHON = "/usr/bin/python3";

	private final Map<String, String> environment;

	private final List<Process> processes = new ArrayList<>();

	PythonCelery(String brokerUrl, String backendUrl) {
		this.environment = Map.of("PYAPP_BROKER", brokerUrl, "PYAPP_BACKEND", backendUrl, "PYTHONPATH",
				directory().toString(), "PYTHONDONTWRITEBYTECODE", "1");
	}

	static boolean available() {
		try {
			Process probe = new ProcessBuilder(PYTHON, "-c", "import celery, redis").start();
			return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
		}
		catch (IOException | InterruptedException ex) {
			return false;
		}
	}

	/** Start a worker consuming the queue and wait until it is ready. */
	void startWorker(String queue) throws IOException {
		Path log = Files.createTempFile("celery-worker-", ".log");
		ProcessBuilder builder = new ProcessBuilder(PYTHON, "-m", "celery", "-A", "pyapp", "worker", "-Q", queue, "-c",
				"2", "-P", "threads", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info", "-n",
				"py-" + queue + "@%h")
			.directory(directory().toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().putAll(this.environment);
		Process worker = builder.start();
		this.processes.add(worker);
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			if (!worker.isAlive()) {
				throw new IllegalStateException("Celery worker exited:\n" + Files.readString(log));
			}
			return Files.readString(log).contains(" ready.");
		});
	}

	/** Send a task from Python and return what its AsyncResult.get() gave: {"result": ..} or {"error", "message"}. */
	Map<String, Object> send(String task, List<?> args, Map<String, ?> kwargs, String queue) throws Exception {
		return send(task, args, kwargs, queue, "json");
	}

	/** Send a task from Python with the given serializer. */
	Map<String, Object> send(String task, List<?> args, Map<String, ?> kwargs, String queue, String serializer)
			throws Exception {
		JsonMapper mapper = new JsonMapper();
		ProcessBuilder builder = new ProcessBuilder(PYTHON, "produce.py", task, mapper.writeValueAsString(args),
				mapper.writeValueAsString(kwargs), queue)
			.directory(directory().toFile())
			.redirectErrorStream(false);
		builder.environment().putAll(this.environment);
		builder.environment().put("PYAPP_SERIALIZER", serializer);
		Process producer = builder.start();
		if (!producer.waitFor(60, TimeUnit.SECONDS)) {
			producer.destroyForcibly();
			throw new IllegalStateException("Python producer did not finish in 60 s");
		}
		String out = new String(producer.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		String err = new String(producer.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
		if (out.isEmpty()) {
			throw new IllegalStateException("Python producer printed nothing:\n" + err);
		}
		String last = out.substring(out.lastIndexOf('\n') + 1);
		return mapper.readValue(last, Map.class);
	}

	/** Start capturing Celery events for the given time; {@link EventCapture#events()} waits for the list. */
	EventCapture captureEvents(int seconds) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(PYTHON, "events.py", Integer.toString(seconds))
			.directory(directory().toFile());
		builder.environment().putAll(this.environment);
		Process capture = builder.start();
		this.processes.add(capture);
		java.io.BufferedReader out = new java.io.BufferedReader(
				new java.io.InputStreamReader(capture.getInputStream(), StandardCharsets.UTF_8));
		String ready = out.readLine();
		if (!"ready".equals(ready)) {
			throw new IllegalStateException("Event capture did not start: " + ready);
		}
		return new EventCapture(capture, out);
	}

	/** A running event capture. */
	record EventCapture(Process process, java.io.BufferedReader out) {

		List<Map<String, Object>> events() throws Exception {
			String json = this.out.readLine();
			if (!this.process.waitFor(60, TimeUnit.SECONDS) || json == null) {
				this.process.destroyForcibly();
				throw new IllegalStateException("Event capture did not end with its events");
			}
			return new JsonMapper().readValue(json, List.class);
		}

	}

	/** Run {@code celery inspect <command>} against one node and return its JSON answer. */
	Map<String, Object> inspect(String command, String node) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(PYTHON, "-m", "celery", "-A", "pyapp", "inspect", command, "-j", "-t",
				"5", "-d", node)
			.directory(directory().toFile());
		builder.environment().putAll(this.environment);
		Process inspect = builder.start();
		if (!inspect.waitFor(60, TimeUnit.SECONDS)) {
			inspect.destroyForcibly();
			throw new IllegalStateException("celery inspect did not finish in 60 s");
		}
		String out = new String(inspect.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		String err = new String(inspect.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!out.startsWith("{")) {
			throw new IllegalStateException("celery inspect " + command + " answered:\n" + out + "\n" + err);
		}
		return new JsonMapper().readValue(out, Map.class);
	}

	@Override
	public void close() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroy();
			if (!process.waitFor(15, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}

	private static Path directory() {
		try {
			return new File(PythonCelery.class.getResource("/interop/pyapp.py").toURI()).getParentFile().toPath();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
