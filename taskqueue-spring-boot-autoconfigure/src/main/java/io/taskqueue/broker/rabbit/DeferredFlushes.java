package io.taskqueue.broker.rabbit;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A scope in which a thread's socket flushes are put off until the scope ends, so that the frames
 * of many publishes go out in a few writes instead of one each: amqp-client flushes its socket after
 * every command. Only sockets of a {@link DeferringSocketFactory} put off their flushes; elsewhere a
 * scope changes nothing. Nothing in a scope may wait for a reply from RabbitMQ (a declaration, a
 * confirm wait): its request would be held back until the scope ends.
 */
final class DeferredFlushes {

	private static final ThreadLocal<@Nullable Set<DeferringOutputStream>> deferred = new ThreadLocal<>();

	private DeferredFlushes() {
	}

	/**
	 * Run {@code action} with this thread's flushes put off, then flush the streams it wrote to, also
	 * when it fails. A scope inside another one flushes when the outer one ends.
	 * @param action what writes to the sockets
	 * @throws IOException if the action or a flush fails
	 */
	static void run(IoAction action) throws IOException {
		if (deferred.get() != null) {
			action.run();
			return;
		}
		Set<DeferringOutputStream> streams = new LinkedHashSet<>(2);
		deferred.set(streams);
		try {
			action.run();
		}
		catch (IOException | RuntimeException | Error ex) {
			deferred.remove();
			flush(streams, ex);
			throw ex;
		}
		deferred.remove();
		flush(streams, null);
	}

	private static void flush(Set<DeferringOutputStream> streams, @Nullable Throwable failure) throws IOException {
		IOException flushFailure = null;
		for (DeferringOutputStream stream : streams) {
			try {
				stream.flush();
			}
			catch (IOException ex) {
				if (failure != null) {
					failure.addSuppressed(ex);
				}
				else if (flushFailure == null) {
					flushFailure = ex;
				}
			}
		}
		if (flushFailure != null) {
			throw flushFailure;
		}
	}

	/**
	 * Note that the current thread writes to or flushes {@code stream}.
	 * @return whether the thread is in a scope, which then flushes the stream when it ends
	 */
	static boolean putOff(DeferringOutputStream stream) {
		Set<DeferringOutputStream> streams = deferred.get();
		if (streams == null) {
			return false;
		}
		streams.add(stream);
		return true;
	}

	/**
	 * Socket writes that may fail.
	 */
	@FunctionalInterface
	interface IoAction {

		void run() throws IOException;

	}

}
