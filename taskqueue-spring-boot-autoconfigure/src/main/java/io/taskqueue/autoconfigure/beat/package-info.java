/**
 * Auto-configuration of beat (periodic tasks).
 */
@NullMarked
package io.taskqueue.autoconfigure.beat;

import org.jspecify.annotations.NullMarked;
