/**
 * Producer-side public API: sending tasks, task results, task states and the task context.
 */
@NullMarked
package io.taskqueue.core;

import org.jspecify.annotations.NullMarked;
