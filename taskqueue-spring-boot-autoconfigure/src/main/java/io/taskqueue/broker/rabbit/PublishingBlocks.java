package io.taskqueue.broker.rabbit;

import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Connection;

/**
 * Which publishing connections RabbitMQ blocks ({@code connection.blocked}, sent while a memory or
 * disk alarm is in effect), so that a publish waits for the block to lift instead of writing to, or
 * opening a channel on, a connection the broker no longer reads: such a call would wait for a reply
 * until the channel's RPC timeout (10 minutes by default), whatever the confirm timeout.
 */
final class PublishingBlocks {

	/** Connections listened to, each with the reason it is blocked for, or {@code ""} while it is not. */
	private final Map<Connection, String> connections = new WeakHashMap<>();

	/**
	 * Wait until RabbitMQ does not block a connection, listening to it from now on.
	 * @param connection the publishing connection
	 * @param timeout the longest wait
	 * @throws TimeoutException if the connection is still blocked after {@code timeout}
	 * @throws InterruptedException if interrupted while waiting
	 */
	void awaitUnblocked(Connection connection, Duration timeout) throws TimeoutException, InterruptedException {
		boolean listen;
		synchronized (this) {
			listen = !this.connections.containsKey(connection);
			if (listen) {
				this.connections.put(connection, "");
			}
		}
		if (listen) {
			connection.addBlockedListener(
					(reason) -> update(connection, (reason == null || reason.isEmpty()) ? "blocked" : reason),
					() -> update(connection, ""));
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this) {
			String reason;
			while (!(reason = this.connections.getOrDefault(connection, "")).isEmpty()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new TimeoutException("RabbitMQ blocks publishers (" + reason + ": a memory or disk alarm)"
							+ " and did not lift the block within " + timeout + " (taskqueue.rabbit.confirm-timeout)");
				}
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
		}
	}

	private synchronized void update(Connection connection, String reason) {
		this.connections.put(connection, reason);
		notifyAll();
	}

}
