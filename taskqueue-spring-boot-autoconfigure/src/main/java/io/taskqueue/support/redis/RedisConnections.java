package io.taskqueue.support.redis;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.Lifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Closes the dedicated connections (blocking pops, subscriptions) that the Redis implementations
 * hold outside the factory's shared connection.
 */
public final class RedisConnections {

	private static final Log logger = LogFactory.getLog(RedisConnections.class);

	private RedisConnections() {
	}

	/**
	 * Close a connection, ignoring failures. When its factory has already stopped, as Lettuce's does
	 * before the beans that use it are destroyed at shutdown, the connection is left alone: stopping
	 * closed every connection of the factory's client, and closing one again only makes Lettuce warn.
	 * @param factory the factory the connection came from
	 * @param connection the connection
	 */
	public static void closeQuietly(RedisConnectionFactory factory, RedisConnection connection) {
		if (factory instanceof Lifecycle lifecycle && !lifecycle.isRunning()) {
			return;
		}
		try {
			connection.close();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not close a Redis connection", ex);
		}
	}

}
