package io.taskqueue.core;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The running task's own request: declare a parameter of this type on a {@code @TaskListener}
 * method to receive it (Celery's {@code self.request}).
 */
public interface TaskContext {

	/** @return the task id */
	String id();

	/** @return the task name */
	String name();

	/** @return how many times the task has been retried already */
	int retries();

	/** @return the id of the first task of the workflow */
	String rootId();

	/** @return the id of the task that published this one, or {@code null} */
	@Nullable String parentId();

	/** @return the group this task belongs to, or {@code null} */
	@Nullable String groupId();

	/** @return the queue the task was consumed from */
	String queue();

	/** @return whether the message was delivered before (after a worker crash or a requeue) */
	boolean redelivered();

	/** @return the custom headers the task was sent with */
	Map<String, Object> headers();

}
