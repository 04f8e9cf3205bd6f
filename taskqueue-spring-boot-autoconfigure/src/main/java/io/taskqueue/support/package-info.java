/**
 * Small building blocks shared by the broker and result-backend implementations.
 */
@NullMarked
package io.taskqueue.support;

import org.jspecify.annotations.NullMarked;
