/**
 * Helpers shared by the Redis implementations of the SPIs.
 */
@NullMarked
package io.taskqueue.support.redis;

import org.jspecify.annotations.NullMarked;
