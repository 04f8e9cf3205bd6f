/**
 * Auto-configuration of the Redis broker and result backend.
 */
@NullMarked
package io.taskqueue.autoconfigure.redis;

import org.jspecify.annotations.NullMarked;
