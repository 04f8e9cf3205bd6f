/**
 * Auto-configuration of the RabbitMQ broker.
 */
@NullMarked
package io.taskqueue.autoconfigure.rabbit;

import org.jspecify.annotations.NullMarked;
