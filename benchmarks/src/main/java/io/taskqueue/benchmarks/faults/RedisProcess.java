package io.taskqueue.benchmarks.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A dedicated {@code redis-server} that the fault scenarios can stop, restart and freeze without
 * touching the machine's shared Redis. It keeps an append-only file synced on every write, as a
 * broker that must not lose acknowledged messages across a restart would.
 */
public final class RedisProcess implements AutoCloseable {

	private final int port;

	private final Path directory;

	private Process process;

	private RedisProcess(int port, Path directory) {
		this.port = port;
		this.directory = directory;
	}

	/**
	 * Start a server on a free port, with its data in a fresh temporary directory.
	 * @return the running server
	 * @throws IOException if it cannot be started
	 */
	public static RedisProcess start() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		RedisProcess redis = new RedisProcess(port, Files.createTempDirectory("taskqueue-fault-redis"));
		redis.startProcess();
		return redis;
	}

	public int port() {
		return this.port;
	}

	/** Stop the server cleanly (it writes its data), as a restart for maintenance would. */
	public void stop() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
	}

	/** Start the server again on the same port and data. */
	public void restart() throws IOException {
		startProcess();
	}

	/** Freeze the server ({@code SIGSTOP}): connections stay open but nothing answers. */
	public void freeze() throws IOException, InterruptedException {
		signal("STOP");
	}

	/** Thaw a frozen server ({@code SIGCONT}). */
	public void thaw() throws IOException, InterruptedException {
		signal("CONT");
	}

	private void signal(String name) throws IOException, InterruptedException {
		new ProcessBuilder("kill", "-" + name, Long.toString(this.process.pid())).inheritIO().start().waitFor();
	}

	private void startProcess() throws IOException {
		this.process = new ProcessBuilder("redis-server", "--port", Integer.toString(this.port), "--bind", "127.0.0.1",
				"--dir", this.directory.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "")
			.redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("redis.log").toFile())
			.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!reachable()) {
			if (System.nanoTime() > deadline || !this.process.isAlive()) {
				throw new IOException("redis-server did not start on port " + this.port + "; see "
						+ this.directory.resolve("redis.log"));
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
		}
	}

	private boolean reachable() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			signalQuietly();
			this.process.destroyForcibly().waitFor();
		}
	}

	private void signalQuietly() {
		try {
			thaw();
		}
		catch (IOException | InterruptedException ex) {
			// it is killed next anyway
		}
	}

}
