/**
 * Actuator support: the {@code tasks} endpoint and the {@code taskqueue} health indicator.
 */
@NullMarked
package io.taskqueue.actuate;

import org.jspecify.annotations.NullMarked;
