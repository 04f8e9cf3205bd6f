/**
 * The {@code @TaskListener} annotation and the post-processor that detects it.
 */
@NullMarked
package io.taskqueue.annotation;

import org.jspecify.annotations.NullMarked;
