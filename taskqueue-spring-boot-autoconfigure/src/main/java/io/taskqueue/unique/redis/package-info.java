/**
 * Unique-task claims on Redis.
 */
@NullMarked
package io.taskqueue.unique.redis;

import org.jspecify.annotations.NullMarked;
