/**
 * The result backend SPI: task states, results and errors.
 */
@NullMarked
package io.taskqueue.result;

import org.jspecify.annotations.NullMarked;
