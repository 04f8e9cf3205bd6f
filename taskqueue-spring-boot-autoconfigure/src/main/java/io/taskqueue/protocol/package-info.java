/**
 * Celery task protocol v2: the message model and its JSON codec.
 */
@NullMarked
package io.taskqueue.protocol;

import org.jspecify.annotations.NullMarked;
