package io.taskqueue.transaction;

import io.taskqueue.core.PublishScheduler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Publishes sends made inside a Spring transaction after it commits, in the order they were made,
 * and never when it rolls back. A publication that fails after the commit throws its
 * {@link io.taskqueue.core.TaskPublishException} to the code that committed; the data is already
 * committed by then, so that code decides whether to retry the send.
 */
public class TransactionAwarePublishScheduler implements PublishScheduler {

	private static final Log logger = LogFactory.getLog(TransactionAwarePublishScheduler.class);

	private final TransactionalPublishing mode;

	/**
	 * Create a scheduler.
	 * @param mode when to hold sends back
	 */
	public TransactionAwarePublishScheduler(TransactionalPublishing mode) {
		this.mode = mode;
	}

	/**
	 * Return when sends are held back.
	 * @return the mode
	 */
	public TransactionalPublishing getMode() {
		return this.mode;
	}

	@Override
	public void schedule(Runnable publication, Runnable discarded) {
		if (!holdBack()) {
			publication.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new AfterCommit(publication, discarded));
	}

	private boolean holdBack() {
		if (this.mode == TransactionalPublishing.NEVER || !TransactionSynchronizationManager.isSynchronizationActive()) {
			return false;
		}
		return this.mode == TransactionalPublishing.ALWAYS || TransactionSynchronizationManager.isActualTransactionActive();
	}

	private record AfterCommit(Runnable publication, Runnable discarded) implements TransactionSynchronization {

		@Override
		public void afterCommit() {
			this.publication.run();
		}

		@Override
		public void afterCompletion(int status) {
			if (status != STATUS_COMMITTED) {
				logger.debug("Transaction did not commit; a task sent inside it was not published");
				this.discarded.run();
			}
		}

	}

}
