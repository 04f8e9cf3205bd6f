package io.taskqueue.broker.rabbit;

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
