/**
 * Auto-configuration of the worker: listener detection, registry and containers.
 */
@NullMarked
package io.taskqueue.autoconfigure.worker;

import org.jspecify.annotations.NullMarked;
