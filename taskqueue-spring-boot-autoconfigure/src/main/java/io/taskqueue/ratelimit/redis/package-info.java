/**
 * The Redis rate limiter: one atomic step per reservation, on Redis's clock.
 */
@NullMarked
package io.taskqueue.ratelimit.redis;

import org.jspecify.annotations.NullMarked;
