/**
 * Support for testing applications that use taskqueue: {@link io.taskqueue.test.TaskQueueTester}
 * (sent-task assertions, waiting until idle, moving the clock), eager mode and
 * {@link io.taskqueue.test.TestClock}. Add {@code taskqueue-spring-boot-test} with test scope.
 */
@NullMarked
package io.taskqueue.test;

import org.jspecify.annotations.NullMarked;
