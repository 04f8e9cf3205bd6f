/**
 * Celery's pidbox on Redis: requests by pub/sub, replies pushed to the requester's list.
 */
@NullMarked
package io.taskqueue.remote.redis;

import org.jspecify.annotations.NullMarked;
