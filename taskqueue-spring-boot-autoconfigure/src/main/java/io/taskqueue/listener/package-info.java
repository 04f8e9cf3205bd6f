/**
 * Listener endpoints, their registry and the containers that consume queues.
 */
@NullMarked
package io.taskqueue.listener;

import org.jspecify.annotations.NullMarked;
