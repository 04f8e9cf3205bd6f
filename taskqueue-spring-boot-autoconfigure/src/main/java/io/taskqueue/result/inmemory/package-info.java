/**
 * The in-memory result backend: the embedded default for a first run and for tests.
 */
@NullMarked
package io.taskqueue.result.inmemory;

import org.jspecify.annotations.NullMarked;
