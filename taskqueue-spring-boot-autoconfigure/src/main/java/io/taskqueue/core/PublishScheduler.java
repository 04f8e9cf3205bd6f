package io.taskqueue.core;

/**
 * Decides when a send reaches the broker. The default publishes at once; the transaction-aware
 * implementation holds sends made inside a Spring transaction until it commits, and drops them if
 * it rolls back.
 */
@FunctionalInterface
public interface PublishScheduler {

	/**
	 * Publishes every message at once, in the caller's thread.
	 */
	PublishScheduler IMMEDIATE = (publication, discarded) -> publication.run();

	/**
	 * Run a publication now or later, or discard it. A publication that fails throws
	 * {@link TaskPublishException} from wherever it runs.
	 * @param publication publishes one message and records it as known
	 * @param discarded run instead when the publication will never happen (its transaction rolled
	 * back), to free what the send claimed
	 */
	void schedule(Runnable publication, Runnable discarded);

}
