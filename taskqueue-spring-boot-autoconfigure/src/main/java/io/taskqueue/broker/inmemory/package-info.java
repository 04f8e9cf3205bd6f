/**
 * The in-memory broker: the embedded default for a first run and for tests.
 */
@NullMarked
package io.taskqueue.broker.inmemory;

import org.jspecify.annotations.NullMarked;
