package io.taskqueue.broker.rabbit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import javax.net.SocketFactory;

import com.rabbitmq.client.ConnectionFactory;
import org.jspecify.annotations.Nullable;

/**
 * Plain TCP sockets for amqp-client's connections that let the broker's batches of publishes share
 * socket writes: amqp-client writes and flushes every publish on its own, one system call each, and
 * RabbitMQ reads each as a segment of its own. Writes other than those batches go out as on any
 * socket.
 */
public final class DeferringSocketFactory extends SocketFactory {

	/**
	 * Let the connections of a RabbitMQ client factory use these sockets, unless it has sockets of its
	 * own (TLS, or a socket factory set by the application). Factories using NIO or Netty ignore it.
	 * @param factory the client factory, before it makes connections
	 * @return whether the factory now uses these sockets
	 */
	public static boolean installOn(ConnectionFactory factory) {
		if (factory.getSocketFactory() != null || factory.isSSL()) {
			return factory.getSocketFactory() instanceof DeferringSocketFactory;
		}
		factory.setSocketFactory(new DeferringSocketFactory());
		return true;
	}

	@Override
	public Socket createSocket() {
		return new DeferringSocket();
	}

	@Override
	public Socket createSocket(String host, int port) throws IOException {
		return connected(new InetSocketAddress(host, port), null, 0);
	}

	@Override
	public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
		return connected(new InetSocketAddress(host, port), localHost, localPort);
	}

	@Override
	public Socket createSocket(InetAddress host, int port) throws IOException {
		return connected(new InetSocketAddress(host, port), null, 0);
	}

	@Override
	public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
			throws IOException {
		return connected(new InetSocketAddress(address, port), localAddress, localPort);
	}

	private static Socket connected(InetSocketAddress remote, @Nullable InetAddress local, int localPort)
			throws IOException {
		Socket socket = new DeferringSocket();
		try {
			if (local != null || localPort != 0) {
				socket.bind(new InetSocketAddress(local, localPort));
			}
			socket.connect(remote);
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	private static final class DeferringSocket extends Socket {

		private @Nullable DeferringOutputStream output;

		@Override
		public synchronized OutputStream getOutputStream() throws IOException {
			DeferringOutputStream stream = this.output;
			if (stream == null) {
				stream = new DeferringOutputStream(super.getOutputStream());
				this.output = stream;
			}
			return stream;
		}

	}

}
