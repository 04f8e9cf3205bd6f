/**
 * The Redis result backend in Celery's layout ({@code celery-task-meta-<id>} plus pub/sub), so
 * Java and Python read each other's results.
 */
@NullMarked
package io.taskqueue.result.redis;

import org.jspecify.annotations.NullMarked;
