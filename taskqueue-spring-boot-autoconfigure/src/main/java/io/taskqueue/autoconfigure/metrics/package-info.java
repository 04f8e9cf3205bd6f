/**
 * Auto-configuration of taskqueue's Micrometer meters.
 */
@NullMarked
package io.taskqueue.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
