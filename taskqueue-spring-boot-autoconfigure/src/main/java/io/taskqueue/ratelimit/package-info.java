/**
 * Rate limits of tasks, enforced across every worker that shares the limiter's store.
 */
@NullMarked
package io.taskqueue.ratelimit;

import org.jspecify.annotations.NullMarked;
