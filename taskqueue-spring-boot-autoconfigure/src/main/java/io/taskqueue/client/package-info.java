/**
 * Typed task clients: interfaces whose methods send tasks.
 */
@NullMarked
package io.taskqueue.client;

import org.jspecify.annotations.NullMarked;
