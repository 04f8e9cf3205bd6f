package io.taskqueue.broker.rabbit;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A socket's output stream that holds what threads in a {@link DeferredFlushes} scope write until
 * their scope ends, or until {@link #LIMIT} bytes are held. A write from outside a scope first sends
 * whatever is held, so the bytes keep their order. A lock rather than a monitor guards it, so that a
 * virtual thread blocked in a socket write does not pin its carrier.
 */
final class DeferringOutputStream extends OutputStream {

	/** Held bytes are written once there would be more than this many. */
	static final int LIMIT = 64 * 1024;

	private final OutputStream out;

	private final ReentrantLock lock = new ReentrantLock();

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
	public void write(byte[] bytes, int offset, int length) throws IOException {
		this.lock.lock();
		try {
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
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void flush() throws IOException {
		this.lock.lock();
		try {
			if (DeferredFlushes.putOff(this)) {
				return;
			}
			writeHeld();
			this.out.flush();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void writeHeld() throws IOException {
		if (this.count > 0) {
			int length = this.count;
			this.count = 0;
			this.out.write(this.held, 0, length);
		}
	}

	@Override
	public void close() throws IOException {
		this.lock.lock();
		try {
			writeHeld();
		}
		finally {
			this.lock.unlock();
			this.out.close();
		}
	}

}
