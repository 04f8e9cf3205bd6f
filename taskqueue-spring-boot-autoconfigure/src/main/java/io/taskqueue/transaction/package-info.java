/**
 * Publishing tasks in step with Spring transactions.
 */
@NullMarked
package io.taskqueue.transaction;

import org.jspecify.annotations.NullMarked;
