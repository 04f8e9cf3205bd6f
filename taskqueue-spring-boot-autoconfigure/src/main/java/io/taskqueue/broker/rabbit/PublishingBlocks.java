package io.taskqueue.broker.rabbit;

import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Connection;

/**
 * Which publishing connections RabbitMQ blocks ({@code connection.blocked}, sent while a memory or
 * disk alarm is in effect), so that a publish waits for the block to lift instead of using a
 * connection the broker no longer reads: opening a channel there, or declaring a queue, would wait
 * for a reply until the channel RPC timeout (10 minutes by default), whatever the confirm timeout.
 * RabbitMQ blocks a connection once it reads a publish made during the alarm, so the first publish
 * still goes out, and waits for its confirm.
 */
final class PublishingBlocks {

	/** Connections listened to, each with the reason it is blocked for, or {@code ""} while it is not. */
	private final Map<Connection, String> connections = new WeakHashMap<>();

	/**
	 * Wait until RabbitMQ does not block a connection, listening to it from now on.
	 * @param connection the publishing connection
	 * @param deadline the end of the wait, a {@link System#nanoTime()}
	 * @param timeout the confirm timeout the deadline comes from, for the exception's message
	 * @throws TimeoutException if the connection is still blocked at {@code deadline}
	 * @throws InterruptedException if interrupted while waiting
	 */
	void awaitUnblocked(Connection connection, long deadline, Duration timeout)
			throws TimeoutException, InterruptedException {
		listen(connection);
		synchronized (this) {
			String reason;
			while (!(reason = this.connections.getOrDefault(connection, "")).isEmpty()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new TimeoutException("RabbitMQ has blocked publishing (" + reason + "), as it does during a"
							+ " memory or disk alarm, and did not unblock within " + timeout
							+ " (taskqueue.rabbit.confirm-timeout)");
				}
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
		}
	}

	/**
	 * Listen to a connection's blocks from now on, unless already listening.
	 * @param connection a publishing connection
	 */
	void listen(Connection connection) {
		synchronized (this) {
			if (this.connections.containsKey(connection)) {
				return;
			}
			this.connections.put(connection, "");
		}
		connection.addBlockedListener(
				(reason) -> update(connection, (reason == null || reason.isEmpty()) ? "blocked" : reason),
				() -> update(connection, ""));
	}

	private synchronized void update(Connection connection, String reason) {
		this.connections.put(connection, reason);
		notifyAll();
	}

}
