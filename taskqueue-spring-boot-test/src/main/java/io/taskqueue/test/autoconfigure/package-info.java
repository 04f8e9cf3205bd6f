/**
 * Auto-configuration of taskqueue's test support.
 */
@NullMarked
package io.taskqueue.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
