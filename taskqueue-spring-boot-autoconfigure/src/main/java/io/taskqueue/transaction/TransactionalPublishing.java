package io.taskqueue.transaction;

/**
 * When sends made inside a Spring transaction are published, set with
 * {@code taskqueue.producer.transactional}.
 */
public enum TransactionalPublishing {

	/**
	 * Hold sends made while a real transaction is active until it commits; drop them on rollback.
	 * Sends made outside a transaction are published at once.
	 */
	AUTO,

	/**
	 * Like {@link #AUTO}, and also hold sends made in a transaction-synchronized scope that has no
	 * real transaction (for example {@code Propagation.SUPPORTS}) until that scope completes.
	 */
	ALWAYS,

	/**
	 * Publish every send at once, ignoring transactions.
	 */
	NEVER

}
