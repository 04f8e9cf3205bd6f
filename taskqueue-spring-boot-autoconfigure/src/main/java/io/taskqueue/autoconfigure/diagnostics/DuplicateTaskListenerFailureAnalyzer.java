package io.taskqueue.autoconfigure.diagnostics;

import io.taskqueue.listener.DuplicateTaskListenerException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up that failed because two {@code @TaskListener} methods claim one task name.
 */
class DuplicateTaskListenerFailureAnalyzer extends AbstractFailureAnalyzer<DuplicateTaskListenerException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DuplicateTaskListenerException cause) {
		String description = "Two @TaskListener methods implement the task '" + cause.getTaskName() + "':\n\n    - "
				+ cause.getFirst() + "\n    - " + cause.getSecond() + "\n\nA worker must know which one to run.";
		String action = "Give one of the methods another task name (@TaskListener(\"...\")), remove one, or, if the "
				+ "same class is registered twice as a bean, register it once.";
		return new FailureAnalysis(description, action, cause);
	}

}
