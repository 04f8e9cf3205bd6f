/**
 * Micrometer meters for tasks and queues.
 */
@NullMarked
package io.taskqueue.observation.metrics;

import org.jspecify.annotations.NullMarked;
