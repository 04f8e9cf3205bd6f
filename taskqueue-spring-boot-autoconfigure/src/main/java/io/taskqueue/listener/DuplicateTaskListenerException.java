package io.taskqueue.listener;

/**
 * Thrown at start-up when two {@code @TaskListener} methods claim the same task name.
 */
public class DuplicateTaskListenerException extends IllegalStateException {

	private final String taskName;

	private final String first;

	private final String second;

	/**
	 * Create an exception.
	 * @param taskName the task name both methods claim
	 * @param first the method registered first, with its bean
	 * @param second the method registered second, with its bean
	 */
	public DuplicateTaskListenerException(String taskName, String first, String second) {
		super("Task '" + taskName + "' has two @TaskListener methods: " + first + " and " + second
				+ "; task names must be unique");
		this.taskName = taskName;
		this.first = first;
		this.second = second;
	}

	/** @return the task name both methods claim */
	public String getTaskName() {
		return this.taskName;
	}

	/** @return the method registered first, with its bean */
	public String getFirst() {
		return this.first;
	}

	/** @return the method registered second, with its bean */
	public String getSecond() {
		return this.second;
	}

}
