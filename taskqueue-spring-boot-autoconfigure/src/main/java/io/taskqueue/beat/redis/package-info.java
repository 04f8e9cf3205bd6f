/**
 * The Redis beat store: the leader lease, tick claims and last-run times shared by every instance.
 */
@NullMarked
package io.taskqueue.beat.redis;

import org.jspecify.annotations.NullMarked;
