/**
 * Auto-configuration of the {@code tasks} Actuator endpoint.
 */
@NullMarked
package io.taskqueue.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
