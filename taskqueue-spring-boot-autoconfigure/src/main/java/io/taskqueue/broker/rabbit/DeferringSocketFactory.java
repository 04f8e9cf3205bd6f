package io.taskqueue.broker.rabbit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.UnaryOperator;

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

	private final UnaryOperator<OutputStream> socketStreams;

	/**
	 * Create a factory of plain TCP sockets whose batches of publishes share writes.
	 */
	public DeferringSocketFactory() {
		this(UnaryOperator.identity());
	}

	/** For tests: {@code socketStreams} wraps each socket's own output stream, beneath the deferring one. */
	DeferringSocketFactory(UnaryOperator<OutputStream> socketStreams) {
		this.socketStreams = socketStreams;
	}

	/**
	 * Let the connections of a RabbitMQ client factory use these sockets, unless it has sockets of its
	 * own (TLS, or a socket factory set by the application). A factory that uses NIO or Netty takes
	 * the setting but makes no sockets with it, so its writes stay as they were.
	 * @param factory the client factory, before it makes connections
	 * @return whether the factory's socket factory is now one of these
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
		return new DeferringSocket(this.socketStreams);
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

	private Socket connected(InetSocketAddress remote, @Nullable InetAddress local, int localPort)
			throws IOException {
		Socket socket = createSocket();
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

		private final UnaryOperator<OutputStream> socketStreams;

		private @Nullable DeferringOutputStream output;

		DeferringSocket(UnaryOperator<OutputStream> socketStreams) {
			this.socketStreams = socketStreams;
		}

		@Override
		public synchronized OutputStream getOutputStream() throws IOException {
			DeferringOutputStream stream = this.output;
			if (stream == null) {
				stream = new DeferringOutputStream(this.socketStreams.apply(super.getOutputStream()));
				this.output = stream;
			}
			return stream;
		}

	}

}
