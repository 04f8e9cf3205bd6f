package io.taskqueue.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import io.taskqueue.testing.TestServices;

import static org.awaitility.Awaitility.await;

/**
 * A throwaway {@code redis-server} on its own port, so a test can stop and restart "the broker"
 * without disturbing the Redis other tests use.
 */
public final class RedisServerProcess implements AutoCloseable {

	private final int port;

	private Process process;

	private RedisServerProcess(int port) {
		this.port = port;
	}

	public static RedisServerProcess startOnFreePort() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		RedisServerProcess server = new RedisServerProcess(port);
		server.start();
		return server;
	}

	public int port() {
		return this.port;
	}

	public void start() throws IOException {
		this.process = new ProcessBuilder("redis-server", "--port", Integer.toString(this.port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> TestServices.reachable("127.0.0.1", this.port));
	}

	public void stop() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
		await().atMost(Duration.ofSeconds(10)).until(() -> !TestServices.reachable("127.0.0.1", this.port));
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			stop();
		}
	}

}
