/**
 * Auto-configuration of the {@code taskqueue} health indicator.
 */
@NullMarked
package io.taskqueue.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
