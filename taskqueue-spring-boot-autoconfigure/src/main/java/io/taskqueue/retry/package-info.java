/**
 * Retry decisions and back-off for failed tasks: retries re-publish, never sleep in a worker.
 */
@NullMarked
package io.taskqueue.retry;

import org.jspecify.annotations.NullMarked;
