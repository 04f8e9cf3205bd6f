package io.taskqueue.broker.rabbit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.BlockedCallback;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.UnblockedCallback;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * Tests for {@link PublishingBlocks}: a connection RabbitMQ blocks holds publishes until it is
 * unblocked or the wait runs out.
 */
class PublishingBlocksTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final PublishingBlocks blocks = new PublishingBlocks();

	private final Connection connection = mock(Connection.class);

	@Test
	void anUnblockedConnectionDoesNotWaitAndIsListenedToOnce() throws Exception {
		this.blocks.awaitUnblocked(this.connection, deadline(Duration.ZERO), TIMEOUT);
		this.blocks.awaitUnblocked(this.connection, deadline(Duration.ZERO), TIMEOUT);
		verify(this.connection, times(1)).addBlockedListener(any(BlockedCallback.class), any(UnblockedCallback.class));
	}

	@Test
	void aBlockedConnectionFailsAtTheDeadlineNamingTheReasonAndTheProperty() throws Exception {
		Callbacks callbacks = listen();
		callbacks.blocked().handle("low on memory");
		assertThatExceptionOfType(TimeoutException.class)
			.isThrownBy(() -> this.blocks.awaitUnblocked(this.connection, deadline(Duration.ofMillis(100)), TIMEOUT))
			.withMessageContaining("RabbitMQ has blocked publishing (low on memory)")
			.withMessageContaining("did not unblock within PT2S (taskqueue.rabbit.confirm-timeout)");
	}

	@Test
	void aWaitingPublishGoesOnWhenTheConnectionIsUnblocked() throws Exception {
		Callbacks callbacks = listen();
		callbacks.blocked().handle("low on disk space");
		AtomicReference<Thread> waiter = new AtomicReference<>();
		CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
			waiter.set(Thread.currentThread());
			try {
				this.blocks.awaitUnblocked(this.connection, deadline(Duration.ofMinutes(1)), TIMEOUT);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		await().atMost(Duration.ofSeconds(10))
			.until(() -> waiter.get() != null && waiter.get().getState() == Thread.State.TIMED_WAITING);
		assertThat(waiting).isNotDone();
		callbacks.unblocked().handle();
		assertThat(waiting).succeedsWithin(Duration.ofSeconds(10));
	}

	@Test
	void anEmptyReasonStillBlocks() throws Exception {
		listen().blocked().handle("");
		assertThatExceptionOfType(TimeoutException.class)
			.isThrownBy(() -> this.blocks.awaitUnblocked(this.connection, deadline(Duration.ofMillis(50)), TIMEOUT))
			.withMessageContaining("RabbitMQ has blocked publishing (blocked)");
	}

	@Test
	void aPublisherListensToEachPublishingConnectionFromItsCreation() {
		ConnectionFactory factory = mock(ConnectionFactory.class);
		org.springframework.amqp.rabbit.connection.Connection created = mock(
				org.springframework.amqp.rabbit.connection.Connection.class);
		given(created.getDelegate()).willReturn(this.connection);
		willAnswer((invocation) -> {
			invocation.<ConnectionListener>getArgument(0).onCreate(created);
			return null;
		}).given(factory).addConnectionListener(any());
		new RabbitPublisher(factory, RabbitQueueOptions.CELERY_DEFAULTS, Clock.systemUTC());
		verify(this.connection).addBlockedListener(any(BlockedCallback.class), any(UnblockedCallback.class));
	}

	/** Start listening to the connection and return what it registered. */
	private Callbacks listen() throws Exception {
		this.blocks.awaitUnblocked(this.connection, deadline(Duration.ZERO), TIMEOUT);
		ArgumentCaptor<BlockedCallback> blocked = ArgumentCaptor.forClass(BlockedCallback.class);
		ArgumentCaptor<UnblockedCallback> unblocked = ArgumentCaptor.forClass(UnblockedCallback.class);
		verify(this.connection).addBlockedListener(blocked.capture(), unblocked.capture());
		return new Callbacks(blocked.getValue(), unblocked.getValue());
	}

	private static long deadline(Duration in) {
		return System.nanoTime() + in.toNanos();
	}

	private record Callbacks(BlockedCallback blocked, UnblockedCallback unblocked) {
	}

}
