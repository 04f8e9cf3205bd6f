package io.taskqueue.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Finds the broker an integration test talks to: the URL in an environment variable, else the local
 * default, else (only when Docker is available) a Testcontainers container. Never only Docker.
 */
public final class TestServices {

	private static final List<GenericContainer<?>> containers = new CopyOnWriteArrayList<>();

	private TestServices() {
	}

	/**
	 * Locate a service.
	 * @param name the service name, for the error message
	 * @param environmentVariable the variable that may hold its URL
	 * @param localUrl the URL of the local service
	 * @param image the container image to fall back to
	 * @param urlPrefix what precedes {@code host:port} in a container's URL, such as {@code "redis://"}
	 * @return the URL to use
	 */
	public static URI locate(String name, String environmentVariable, String localUrl, String image,
			String urlPrefix) {
		String configured = System.getenv(environmentVariable);
		URI candidate = URI.create((configured != null) ? configured : localUrl);
		if (reachable(candidate.getHost(), candidate.getPort())) {
			return candidate;
		}
		if (!DockerClientFactory.instance().isDockerAvailable()) {
			throw new IllegalStateException("No " + name + " for the integration tests at " + candidate
					+ " and no Docker for Testcontainers: start " + name + " (bash .ci/run does) or set "
					+ environmentVariable);
		}
		GenericContainer<?> container = new GenericContainer<>(image).withExposedPorts(candidate.getPort());
		container.start();
		containers.add(container);
		return URI.create(urlPrefix + container.getHost() + ":" + container.getMappedPort(candidate.getPort()));
	}

	/**
	 * Whether something accepts TCP connections on a port.
	 * @param host the host
	 * @param port the port
	 * @return whether a connection succeeded within half a second
	 */
	public static boolean reachable(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
