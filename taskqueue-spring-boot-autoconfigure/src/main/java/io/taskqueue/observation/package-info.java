/**
 * Task lifecycle events and the activity they feed.
 */
@NullMarked
package io.taskqueue.observation;

import org.jspecify.annotations.NullMarked;
