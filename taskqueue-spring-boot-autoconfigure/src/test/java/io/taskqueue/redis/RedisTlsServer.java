package io.taskqueue.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import io.taskqueue.testing.TestServices;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A throwaway {@code redis-server} that only speaks TLS: a self-signed CA and a server certificate
 * for {@code 127.0.0.1} and {@code localhost} are generated with {@code openssl} in a directory the
 * test owns (a JUnit {@code @TempDir}), and the plain-text port is disabled ({@code --port 0}).
 * Missing {@code openssl}, or a {@code redis-server} built without TLS, is reported with an
 * {@link IllegalStateException} saying so, never skipped.
 */
public final class RedisTlsServer implements AutoCloseable {

	private static final Duration STARTUP = Duration.ofSeconds(15);

	private static final long OPENSSL_TIMEOUT_SECONDS = 60;

	private final Path directory;

	private final Path caCertificate;

	private final int tlsPort;

	private Process process;

	private RedisTlsServer(Path directory, Path caCertificate, int tlsPort) {
		this.directory = directory;
		this.caCertificate = caCertificate;
		this.tlsPort = tlsPort;
	}

	/**
	 * Generate certificates in {@code directory} and start a TLS-only {@code redis-server} on a free
	 * port of {@code 127.0.0.1}.
	 * @param directory an empty directory owned by the test, such as a {@code @TempDir}
	 * @return the running server
	 * @throws IOException if the certificates cannot be written
	 * @throws InterruptedException if interrupted while waiting for {@code openssl}
	 */
	public static RedisTlsServer start(Path directory) throws IOException, InterruptedException {
		Path caCertificate = generateCertificates(directory);
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		RedisTlsServer server = new RedisTlsServer(directory, caCertificate, port);
		server.startProcess();
		return server;
	}

	/**
	 * The TLS port, on {@code 127.0.0.1}.
	 * @return the port
	 */
	public int tlsPort() {
		return this.tlsPort;
	}

	/**
	 * The PEM certificate of the CA that signed the server's certificate: what a client trusts.
	 * @return the CA certificate file
	 */
	public Path caCertificate() {
		return this.caCertificate;
	}

	private static Path generateCertificates(Path directory) throws IOException, InterruptedException {
		Path caKey = directory.resolve("ca.key");
		Path caCertificate = directory.resolve("ca.crt");
		Path serverKey = directory.resolve("server.key");
		Path serverRequest = directory.resolve("server.csr");
		Path serverCertificate = directory.resolve("server.crt");
		Path serverExtensions = directory.resolve("server.ext");
		openssl(directory, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2", "-subj",
				"/CN=taskqueue test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
				"keyUsage=critical,keyCertSign,cRLSign", "-keyout", caKey.toString(), "-out",
				caCertificate.toString());
		openssl(directory, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-sha256", "-subj", "/CN=localhost",
				"-keyout", serverKey.toString(), "-out", serverRequest.toString());
		// The client connects to 127.0.0.1 and verifies the host name, so the IP must be a SAN.
		Files.writeString(serverExtensions, String.join("\n", "subjectAltName=IP:127.0.0.1,DNS:localhost",
				"basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment",
				"extendedKeyUsage=serverAuth", ""), StandardCharsets.US_ASCII);
		openssl(directory, "x509", "-req", "-in", serverRequest.toString(), "-CA", caCertificate.toString(),
				"-CAkey", caKey.toString(), "-set_serial", "2", "-days", "2", "-sha256", "-extfile",
				serverExtensions.toString(), "-out", serverCertificate.toString());
		return caCertificate;
	}

	private static void openssl(Path directory, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add("openssl");
		command.addAll(List.of(arguments));
		Path log = directory.resolve("openssl.log");
		Process openssl;
		try {
			openssl = new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"openssl is needed to generate the TLS test certificates but could not be run: " + ex.getMessage(),
					ex);
		}
		openssl.getOutputStream().close();
		if (!openssl.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
			openssl.destroyForcibly();
			throw new IllegalStateException("openssl did not finish within " + OPENSSL_TIMEOUT_SECONDS + "s: "
					+ String.join(" ", command));
		}
		if (openssl.exitValue() != 0) {
			throw new IllegalStateException("openssl failed (exit " + openssl.exitValue() + ") running '"
					+ String.join(" ", command) + "':\n" + read(log));
		}
	}

	private void startProcess() throws IOException {
		Path log = this.directory.resolve("redis.log");
		try {
			this.process = new ProcessBuilder("redis-server", "--port", "0", "--tls-port",
					Integer.toString(this.tlsPort), "--bind", "127.0.0.1", "--tls-cert-file",
					this.directory.resolve("server.crt").toString(), "--tls-key-file",
					this.directory.resolve("server.key").toString(), "--tls-ca-cert-file",
					this.caCertificate.toString(), "--tls-auth-clients", "no", "--save", "", "--appendonly", "no")
				.directory(this.directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("redis-server is needed for the TLS test but could not be run: "
					+ ex.getMessage(), ex);
		}
		this.process.getOutputStream().close();
		try {
			await().atMost(STARTUP)
				.until(() -> !this.process.isAlive() || TestServices.reachable("127.0.0.1", this.tlsPort));
		}
		catch (ConditionTimeoutException ex) {
			close();
			throw new IllegalStateException("redis-server did not open its TLS port " + this.tlsPort + " within "
					+ STARTUP.toSeconds() + "s; its log:\n" + read(log), ex);
		}
		if (!this.process.isAlive()) {
			throw new IllegalStateException("redis-server exited (code " + this.process.exitValue()
					+ ") instead of listening on TLS port " + this.tlsPort
					+ "; is it built with TLS support (BUILD_TLS=yes)? Its log:\n" + read(log));
		}
		try {
			checkHandshake();
		}
		catch (IOException | GeneralSecurityException ex) {
			close();
			throw new IllegalStateException("redis-server listens on port " + this.tlsPort
					+ " but a TLS handshake trusting the generated CA failed (no TLS support, or a bad certificate): "
					+ ex + "; its log:\n" + read(log), ex);
		}
	}

	/**
	 * Handshake and PING as a strict client would (the generated CA only, host name verified), so a
	 * broken setup fails here with a clear message rather than as a connection error in the test.
	 */
	private void checkHandshake() throws IOException, GeneralSecurityException {
		KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
		trustStore.load(null, null);
		try (InputStream in = Files.newInputStream(this.caCertificate)) {
			Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
			trustStore.setCertificateEntry("taskqueue-test-ca", ca);
		}
		TrustManagerFactory trustManagers = TrustManagerFactory
			.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trustStore);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trustManagers.getTrustManagers(), null);
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", this.tlsPort)) {
			socket.setSoTimeout(5000);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			socket.setSSLParameters(parameters);
			socket.startHandshake();
			OutputStream out = socket.getOutputStream();
			out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			byte[] reply = new byte[7];
			int read = socket.getInputStream().readNBytes(reply, 0, reply.length);
			String answer = new String(reply, 0, read, StandardCharsets.US_ASCII);
			if (!answer.startsWith("+PONG")) {
				throw new IOException("unexpected answer to PING over TLS: '" + answer.strip() + "'");
			}
		}
	}

	private static String read(Path log) {
		try {
			return Files.readString(log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(could not read " + log + ": " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
