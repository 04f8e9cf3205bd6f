package io.taskqueue.result.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.taskqueue.support.redis.RedisConnections;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.Subscription;

/**
 * Subscribes to result channels on one dedicated connection, in batches: callers only queue a
 * channel name, and a single thread turns whatever has queued up into one {@code SUBSCRIBE} (or
 * {@code UNSUBSCRIBE}) of many channels. After each subscribe batch it hands the batch to
 * {@code afterSubscribe}, which re-reads those results, so a result stored before its subscription
 * was active is not missed. Thousands of waiters thus cost a few round trips instead of one each.
 *
 * <p>The thread connects on its own and keeps retrying while Redis is unreachable, so nobody waits
 * for Redis to be up: a worker starts while its result backend is down and catches up when it
 * returns (channels are subscribed again and their results re-read).
 */
final class ResultSubscriber implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ResultSubscriber.class);

	private static final int MAX_BATCH = 2_000;

	private final RedisConnectionFactory connectionFactory;

	private final MessageListener listener;

	private final byte[] anchorChannel;

	private final Consumer<List<String>> afterSubscribe;

	private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();

	private final Thread worker;

	private volatile boolean running = true;

	private @Nullable RedisConnection connection;

	private final Set<String> active = new LinkedHashSet<>();

	private final Object connectedMonitor = new Object();

	private volatile boolean connected;

	/**
	 * Create a subscriber.
	 * @param connectionFactory where the dedicated connection comes from
	 * @param listener receives every message of the subscribed channels
	 * @param anchorChannel a channel subscribed for the connection's lifetime (its messages reach
	 * the listener too)
	 * @param afterSubscribe called with each batch of channels once it is subscribed
	 */
	ResultSubscriber(RedisConnectionFactory connectionFactory, MessageListener listener, String anchorChannel,
			Consumer<List<String>> afterSubscribe) {
		this.connectionFactory = connectionFactory;
		this.listener = listener;
		this.anchorChannel = anchorChannel.getBytes(StandardCharsets.UTF_8);
		this.afterSubscribe = afterSubscribe;
		this.worker = new Thread(this::run, "taskqueue-result-subscriber");
		this.worker.setDaemon(true);
		this.worker.start();
	}

	void subscribe(String channel) {
		this.requests.add(new Request(channel, true));
	}

	void unsubscribe(String channel) {
		this.requests.add(new Request(channel, false));
	}

	private void run() {
		List<Request> batch = new ArrayList<>();
		while (this.running) {
			try {
				subscription();
				Request first = this.requests.poll(1, TimeUnit.SECONDS);
				if (first == null) {
					continue;
				}
				batch.clear();
				batch.add(first);
				this.requests.drainTo(batch, MAX_BATCH - 1);
				apply(batch);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				// The safety-net re-read of awaited results covers what this batch missed.
				logger.debug("Could not update result subscriptions; retrying in 1 s: " + ex.getMessage());
				reset();
				LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
			}
		}
	}

	private void apply(List<Request> batch) {
		Set<String> subscribe = new LinkedHashSet<>();
		Set<String> unsubscribe = new LinkedHashSet<>();
		for (Request request : batch) {
			if (request.subscribe) {
				unsubscribe.remove(request.channel);
				subscribe.add(request.channel);
			}
			else {
				subscribe.remove(request.channel);
				unsubscribe.add(request.channel);
			}
		}
		this.active.addAll(subscribe);
		this.active.removeAll(unsubscribe);
		Subscription subscription = subscription();
		if (!subscribe.isEmpty()) {
			subscription.subscribe(bytes(subscribe));
			this.afterSubscribe.accept(List.copyOf(subscribe));
		}
		if (!unsubscribe.isEmpty()) {
			subscription.unsubscribe(bytes(unsubscribe));
		}
	}

	private Subscription subscription() {
		RedisConnection current = this.connection;
		if (current == null || !current.isSubscribed()) {
			reset();
			current = this.connectionFactory.getConnection();
			current.subscribe(this.listener, this.anchorChannel);
			this.connection = current;
			Subscription fresh = current.getSubscription();
			if (fresh != null && !this.active.isEmpty()) {
				fresh.subscribe(bytes(this.active));
				this.afterSubscribe.accept(List.copyOf(this.active));
			}
			synchronized (this.connectedMonitor) {
				this.connected = true;
				this.connectedMonitor.notifyAll();
			}
		}
		Subscription subscription = current.getSubscription();
		if (subscription == null) {
			throw new IllegalStateException("Result subscription is not active");
		}
		return subscription;
	}

	/**
	 * Return whether the subscription is up: every channel asked for is subscribed, and the batches
	 * subscribed on this connection have been handed to {@code afterSubscribe}.
	 * @return {@code false} while connecting or reconnecting
	 */
	boolean isConnected() {
		return this.connected;
	}

	/**
	 * Wait until the anchor channel is subscribed, so that its messages are not missed.
	 * @param timeout how long to wait
	 * @return {@code false} if Redis could not be reached in time (the subscriber keeps trying)
	 */
	boolean awaitConnected(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.connectedMonitor) {
			while (!this.connected) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.connectedMonitor, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

	private void reset() {
		this.connected = false;
		RedisConnection current = this.connection;
		this.connection = null;
		if (current != null) {
			RedisConnections.closeQuietly(this.connectionFactory, current);
		}
	}

	private static byte[][] bytes(Set<String> channels) {
		byte[][] result = new byte[channels.size()][];
		int i = 0;
		for (String channel : channels) {
			result[i++] = channel.getBytes(StandardCharsets.UTF_8);
		}
		return result;
	}

	@Override
	public void close() {
		this.running = false;
		this.worker.interrupt();
		reset();
	}

	private record Request(String channel, boolean subscribe) {
	}

}
