/**
 * Auto-configuration for taskqueue and its configuration properties.
 */
@NullMarked
package io.taskqueue.autoconfigure;

import org.jspecify.annotations.NullMarked;
