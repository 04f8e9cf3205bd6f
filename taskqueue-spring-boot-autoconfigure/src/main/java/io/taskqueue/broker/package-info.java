/**
 * The broker SPI: publishing, consuming and acknowledging task messages.
 */
@NullMarked
package io.taskqueue.broker;

import org.jspecify.annotations.NullMarked;
