/**
 * Auto-configuration of the result backend.
 */
@NullMarked
package io.taskqueue.autoconfigure.result;

import org.jspecify.annotations.NullMarked;
