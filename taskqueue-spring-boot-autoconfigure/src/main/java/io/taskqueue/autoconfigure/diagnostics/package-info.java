/**
 * Failure analyzers that explain taskqueue's start-up mistakes.
 */
@NullMarked
package io.taskqueue.autoconfigure.diagnostics;

import org.jspecify.annotations.NullMarked;
