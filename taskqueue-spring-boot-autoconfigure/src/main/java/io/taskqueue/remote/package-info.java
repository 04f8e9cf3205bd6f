/**
 * Remote control: answers Celery's pidbox commands (inspect ping, registered, active; revoke) for Java workers.
 */
@NullMarked
package io.taskqueue.remote;

import org.jspecify.annotations.NullMarked;
