package io.taskqueue.test.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of taskqueue's test support.
 */
@ConfigurationProperties("taskqueue.test")
public class TaskQueueTestProperties {

	/**
	 * Whether tasks run in the thread that sends them, as soon as they are due (Celery's
	 * task_always_eager). Replaces the configured broker with the in-memory one; keep the result
	 * backend in memory too. Needs the worker (taskqueue.worker.enabled) to find the tasks.
	 */
	private boolean eager;

	public boolean isEager() {
		return this.eager;
	}

	public void setEager(boolean eager) {
		this.eager = eager;
	}

}
