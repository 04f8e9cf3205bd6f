package io.taskqueue.broker.rabbit;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.SocketFactory;

import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeferringSocketFactoryTests {

	@Test
	void aPlainTcpFactoryGetsDeferringSockets() {
		ConnectionFactory factory = new ConnectionFactory();
		assertThat(DeferringSocketFactory.installOn(factory)).isTrue();
		assertThat(factory.getSocketFactory()).isInstanceOf(DeferringSocketFactory.class);
	}

	@Test
	void installingTwiceKeepsTheFirst() {
		ConnectionFactory factory = new ConnectionFactory();
		DeferringSocketFactory.installOn(factory);
		SocketFactory first = factory.getSocketFactory();
		assertThat(DeferringSocketFactory.installOn(factory)).isTrue();
		assertThat(factory.getSocketFactory()).isSameAs(first);
	}

	@Test
	void itsSocketsWriteThroughADeferringStream() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				Socket socket = new DeferringSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
						server.getLocalPort());
				Socket accepted = server.accept()) {
			assertThat(socket.getOutputStream()).isInstanceOf(DeferringOutputStream.class);
			DeferredFlushes.run(() -> {
				socket.getOutputStream().write("AMQP".getBytes(StandardCharsets.US_ASCII));
				socket.getOutputStream().flush();
			});
			assertThat(accepted.getInputStream().readNBytes(4)).asString(StandardCharsets.US_ASCII).isEqualTo("AMQP");
		}
	}

	@Test
	void aTlsFactoryKeepsItsSockets() throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.useSslProtocol();
		SocketFactory tls = factory.getSocketFactory();
		assertThat(DeferringSocketFactory.installOn(factory)).isFalse();
		assertThat(factory.getSocketFactory()).isSameAs(tls);
	}

	@Test
	void theApplicationsOwnSocketFactoryIsKept() {
		ConnectionFactory factory = new ConnectionFactory();
		SocketFactory own = SocketFactory.getDefault();
		factory.setSocketFactory(own);
		assertThat(DeferringSocketFactory.installOn(factory)).isFalse();
		assertThat(factory.getSocketFactory()).isSameAs(own);
	}

}
