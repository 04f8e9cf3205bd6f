package io.taskqueue.broker.rabbit;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class DeferringOutputStreamTests {

	private final RecordingSocketStream socket = new RecordingSocketStream();

	private final DeferringOutputStream stream = new DeferringOutputStream(this.socket);

	@Test
	void outsideAScopeEveryWriteAndFlushGoesOutAtOnce() throws IOException {
		publish("one");
		publish("two");
		assertThat(this.socket.writes).containsExactly("one", "two");
		assertThat(this.socket.flushes).isEqualTo(2);
	}

	@Test
	void publishesInAScopeGoOutAsOneWriteWhenItEnds() throws IOException {
		DeferredFlushes.run(() -> {
			publish("one");
			publish("two");
			publish("three");
			assertThat(this.socket.writes).isEmpty();
		});
		assertThat(this.socket.writes).containsExactly("onetwothree");
		assertThat(this.socket.flushes).isEqualTo(1);
	}

	@Test
	void anotherThreadsWriteSendsWhatIsHeldFirst() throws IOException {
		DeferredFlushes.run(() -> {
			publish("held");
			CompletableFuture.runAsync(() -> {
				try {
					publish("heartbeat");
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			}).join();
			assertThat(this.socket.writes).containsExactly("held", "heartbeat");
			publish("after");
		});
		assertThat(this.socket.writes).containsExactly("held", "heartbeat", "after");
	}

	@Test
	void heldBytesAreWrittenOnceTheyReachTheLimit() throws IOException {
		byte[] frame = new byte[1000];
		int frames = DeferringOutputStream.LIMIT / frame.length + 1;
		DeferredFlushes.run(() -> {
			for (int i = 0; i < frames; i++) {
				this.stream.write(frame);
				this.stream.flush();
			}
			assertThat(this.socket.sizes).containsExactly((frames - 1) * frame.length);
		});
		assertThat(this.socket.sizes).containsExactly((frames - 1) * frame.length, frame.length);
	}

	@Test
	void aWriteLargerThanTheLimitGoesOutOnItsOwnAfterWhatIsHeld() throws IOException {
		byte[] large = new byte[DeferringOutputStream.LIMIT + 1];
		DeferredFlushes.run(() -> {
			publish("held");
			this.stream.write(large);
			assertThat(this.socket.sizes).containsExactly(4, large.length);
		});
	}

	@Test
	void framesOfAmqpClientsBufferedStreamKeepTheirBytesAndOrder() throws IOException {
		DataOutputStream frames = new DataOutputStream(new BufferedOutputStream(this.stream));
		byte[] large = new byte[20_000];
		Arrays.fill(large, (byte) 'x');
		DeferredFlushes.run(() -> {
			for (String small : new String[] { "a", "b" }) {
				frames.writeBytes(small);
				frames.flush();
			}
			frames.write(large);
			frames.flush();
			frames.writeBytes("c");
			frames.flush();
		});
		assertThat(String.join("", this.socket.writes)).isEqualTo("ab" + "x".repeat(large.length) + "c");
	}

	@Test
	void whatAFailingScopeHeldStillGoesOut() {
		IOException failure = new IOException("channel closed");
		assertThatIOException().isThrownBy(() -> DeferredFlushes.run(() -> {
			publish("sent before the failure");
			throw failure;
		})).isSameAs(failure);
		assertThat(this.socket.writes).containsExactly("sent before the failure");
	}

	@Test
	void aScopeInsideAnotherFlushesWhenTheOuterOneEnds() throws IOException {
		DeferredFlushes.run(() -> {
			DeferredFlushes.run(() -> publish("inner"));
			assertThat(this.socket.writes).isEmpty();
			publish("outer");
		});
		assertThat(this.socket.writes).containsExactly("innerouter");
	}

	@Test
	void aFlushThatFailsAfterTheScopeFailedIsAddedToThatFailure() {
		IOException failure = new IOException("channel closed");
		assertThatIOException().isThrownBy(() -> DeferredFlushes.run(() -> {
			publish("held");
			this.socket.failing = true;
			throw failure;
		})).isSameAs(failure).satisfies((ex) -> assertThat(ex.getSuppressed()).singleElement()
			.satisfies((suppressed) -> assertThat(suppressed).hasMessage("broken pipe")));
	}

	@Test
	void aFlushThatFailsAtTheEndOfTheScopeIsThrown() {
		this.socket.failing = true;
		assertThatIOException().isThrownBy(() -> DeferredFlushes.run(() -> publish("lost connection")))
			.withMessage("broken pipe");
	}

	/** What amqp-client does per command: write its frames, then flush. */
	private void publish(String frames) throws IOException {
		this.stream.write(frames.getBytes(StandardCharsets.UTF_8));
		this.stream.flush();
	}

	/** Each write as the socket would see it. */
	private static final class RecordingSocketStream extends OutputStream {

		private final List<String> writes = new ArrayList<>();

		private final List<Integer> sizes = new ArrayList<>();

		private int flushes;

		private boolean failing;

		@Override
		public void write(int b) {
			throw new UnsupportedOperationException("written byte by byte");
		}

		@Override
		public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
			if (this.failing) {
				throw new IOException("broken pipe");
			}
			ByteArrayOutputStream copy = new ByteArrayOutputStream();
			copy.write(bytes, offset, length);
			this.writes.add(copy.toString(StandardCharsets.UTF_8));
			this.sizes.add(length);
		}

		@Override
		public synchronized void flush() {
			this.flushes++;
		}

	}

}
