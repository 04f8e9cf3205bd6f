/**
 * Test utilities shared by the tests.
 */
package io.taskqueue.testing;
