/**
 * Beat: periodic tasks, fired exactly once per tick by any number of application instances.
 */
@NullMarked
package io.taskqueue.beat;

import org.jspecify.annotations.NullMarked;
