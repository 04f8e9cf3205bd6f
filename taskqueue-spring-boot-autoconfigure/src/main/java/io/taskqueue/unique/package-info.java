/**
 * Unique tasks: claims that keep a second send of the same work from being queued.
 */
@NullMarked
package io.taskqueue.unique;

import org.jspecify.annotations.NullMarked;
