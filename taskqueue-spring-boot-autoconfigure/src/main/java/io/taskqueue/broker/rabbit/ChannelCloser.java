package io.taskqueue.broker.rabbit;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import com.rabbitmq.client.Channel;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Closes publishing channels whose confirms did not come, on a thread of its own (a daemon, started
 * when first needed). Closing waits for RabbitMQ's reply, which a connection the broker blocks (a
 * memory or disk alarm) gets only once the alarm clears, or after the channel RPC timeout (10 minutes
 * by default), so the publisher must not wait for it. Nor may it hand such a channel back to the
 * connection factory's cache: its next user would wait for, or be failed by, the old confirms.
 * Channels close one after the other, so a long alarm holds one thread, not one per channel.
 */
final class ChannelCloser {

	private @Nullable ExecutorService executor;

	/**
	 * Close a channel without waiting: for a cached channel's proxy, the channel behind it (the proxy
	 * itself is dropped, never handed back to the cache).
	 * @param channel the channel
	 */
	void close(Channel channel) {
		Channel target = (channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : channel;
		if (target == null) {
			return;
		}
		try {
			executor().execute(() -> RabbitTaskBroker.closeQuietly(target));
		}
		catch (RejectedExecutionException ex) {
			// shut down: the connection factory closes the connection, and with it the channel
		}
	}

	/** Stop the thread once the channels handed over are closed. */
	synchronized void shutdown() {
		if (this.executor != null) {
			this.executor.shutdown();
		}
	}

	private synchronized ExecutorService executor() {
		if (this.executor == null) {
			CustomizableThreadFactory threads = new CustomizableThreadFactory("taskqueue-channel-close-");
			threads.setDaemon(true);
			this.executor = Executors.newSingleThreadExecutor(threads);
		}
		return this.executor;
	}

}
