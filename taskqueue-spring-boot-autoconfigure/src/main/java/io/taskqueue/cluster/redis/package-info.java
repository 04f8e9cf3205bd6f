/**
 * The worker registry on Redis.
 */
@NullMarked
package io.taskqueue.cluster.redis;

import org.jspecify.annotations.NullMarked;
