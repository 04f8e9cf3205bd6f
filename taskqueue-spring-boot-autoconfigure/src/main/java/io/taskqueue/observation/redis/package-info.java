/**
 * Celery events on Redis: kombu envelopes published on the /<db>.celeryev/<routing key> channels.
 */
@NullMarked
package io.taskqueue.observation.redis;

import org.jspecify.annotations.NullMarked;
