/**
 * Celery's pidbox on RabbitMQ: the celery.pidbox fanout exchange and reply.celery.pidbox.
 */
@NullMarked
package io.taskqueue.remote.rabbit;

import org.jspecify.annotations.NullMarked;
