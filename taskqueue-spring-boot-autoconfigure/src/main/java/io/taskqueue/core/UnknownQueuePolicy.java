package io.taskqueue.core;

/**
 * What a send to a queue that no route, no worker of this process and no
 * {@code taskqueue.producer.queues} entry names does: such a queue is usually a typo, and its
 * messages would wait forever.
 */
public enum UnknownQueuePolicy {

	/** Publish, and log a warning once per queue (the default). */
	WARN,

	/** Refuse the send with a {@link TaskPublishException} before publishing. */
	FAIL,

	/** Publish without a word. */
	IGNORE

}
