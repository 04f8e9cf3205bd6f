package io.taskqueue.broker.rabbit;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A socket's output stream that holds what a thread in a {@link DeferredFlushes} scope writes until
 * the scope ends, or until {@link #LIMIT} bytes are held. Other threads' writes go through at once,
 * after whatever is held, so the bytes keep their order.
 */
final class DeferringOutputStream extends OutputStream {

	/** Held bytes are written once there would be more than this many. */
	static final int LIMIT = 64 * 1024;

	private final OutputStream out;

	private byte[] held = new byte[8192];

	private int count;

	DeferringOutputStream(OutputStream out) {
		this.out = out;
	}

	@Override
	public void write(int b) throws IOException {
		write(new byte[] { (byte) b }, 0, 1);
	}

	@Override
	public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
		boolean deferring = DeferredFlushes.putOff(this);
		if (!deferring || this.count + length > LIMIT) {
			writeHeld();
			if (!deferring || length > LIMIT) {
				this.out.write(bytes, offset, length);
				return;
			}
		}
		if (this.count + length > this.held.length) {
			this.held = Arrays.copyOf(this.held, Math.max(this.count + length, this.held.length * 2));
		}
		System.arraycopy(bytes, offset, this.held, this.count, length);
		this.count += length;
	}

	@Override
	public synchronized void flush() throws IOException {
		if (DeferredFlushes.putOff(this)) {
			return;
		}
		writeHeld();
		this.out.flush();
	}

	private void writeHeld() throws IOException {
		if (this.count > 0) {
			int length = this.count;
			this.count = 0;
			this.out.write(this.held, 0, length);
		}
	}

	@Override
	public synchronized void close() throws IOException {
		try {
			writeHeld();
		}
		finally {
			this.out.close();
		}
	}

}
