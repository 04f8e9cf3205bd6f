/**
 * Auto-configuration of typed task clients.
 */
@NullMarked
package io.taskqueue.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
