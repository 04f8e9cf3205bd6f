/**
 * Invocation of {@code @TaskListener} methods: argument binding and conversion.
 */
@NullMarked
package io.taskqueue.listener.adapter;

import org.jspecify.annotations.NullMarked;
