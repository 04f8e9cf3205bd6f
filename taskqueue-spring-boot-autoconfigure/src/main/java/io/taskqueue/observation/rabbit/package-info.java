/**
 * Celery events on RabbitMQ: the celeryev topic exchange.
 */
@NullMarked
package io.taskqueue.observation.rabbit;

import org.jspecify.annotations.NullMarked;
