/**
 * The Redis broker: kombu's Redis transport layout (priority lists, {@code unacked} bookkeeping,
 * bindings) so Python Celery and Java share queues, with atomic, lease-based consumption.
 */
@NullMarked
package io.taskqueue.broker.redis;

import org.jspecify.annotations.NullMarked;
