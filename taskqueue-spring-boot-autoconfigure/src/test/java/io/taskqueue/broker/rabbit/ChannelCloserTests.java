package io.taskqueue.broker.rabbit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.ChannelProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

/**
 * Tests for {@link ChannelCloser}: a channel whose close waits for a reply that does not come (a
 * connection RabbitMQ blocks) does not hold the publisher that gives it up.
 */
class ChannelCloserTests {

	@Test
	void theChannelBehindAProxyIsClosedWithoutHoldingTheCallerAndTheProxyIsNotHandedBack() throws Exception {
		ChannelCloser closer = new ChannelCloser();
		Channel target = mock(Channel.class);
		ChannelProxy proxy = mock(ChannelProxy.class);
		given(proxy.getTargetChannel()).willReturn(target);
		given(target.isOpen()).willReturn(true);
		CountDownLatch reply = new CountDownLatch(1);
		willAnswer((invocation) -> reply.await(1, TimeUnit.MINUTES)).given(target).close();
		try {
			assertThat(CompletableFuture.runAsync(() -> closer.close(proxy))).succeedsWithin(Duration.ofSeconds(10));
			verify(target, timeout(10_000)).close();
			verify(proxy, never()).close();
		}
		finally {
			reply.countDown();
			closer.shutdown();
		}
	}

}
