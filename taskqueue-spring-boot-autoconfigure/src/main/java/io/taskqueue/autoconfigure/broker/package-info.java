/**
 * Auto-configuration of the task broker.
 */
@NullMarked
package io.taskqueue.autoconfigure.broker;

import org.jspecify.annotations.NullMarked;
