package io.taskqueue.core;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This process's identity as Celery names nodes: {@code gen<pid>@<host>} for producers and
 * {@code <name>@<host>} for workers.
 */
public final class NodeInfo {

	private static final String HOSTNAME = resolveHostname();

	private static final long PID = ProcessHandle.current().pid();

	private NodeInfo() {
	}

	/** @return this machine's host name */
	public static String hostname() {
		return HOSTNAME;
	}

	/** @return this process's id */
	public static long pid() {
		return PID;
	}

	/** @return the node name this process uses as a producer ({@code origin} header) */
	public static String producerName() {
		return "gen" + PID + "@" + HOSTNAME;
	}

	/** @return the node name of this process's worker */
	public static String workerName() {
		return "java" + PID + "@" + HOSTNAME;
	}

	private static String resolveHostname() {
		String fromEnvironment = System.getenv("HOSTNAME");
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return fromEnvironment;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
