/**
 * The RabbitMQ broker: Celery's exchanges, queues and message properties, manual acknowledgements
 * with prefetch bounded by free slots, and delays held by RabbitMQ in TTL and dead-letter queues.
 */
@NullMarked
package io.taskqueue.broker.rabbit;

import org.jspecify.annotations.NullMarked;
