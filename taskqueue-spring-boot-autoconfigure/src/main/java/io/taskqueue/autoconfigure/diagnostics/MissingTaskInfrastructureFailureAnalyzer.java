package io.taskqueue.autoconfigure.diagnostics;

import io.taskqueue.autoconfigure.MissingTaskInfrastructureException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up that failed because the configured broker or result backend has no client
 * library on the classpath.
 */
class MissingTaskInfrastructureFailureAnalyzer extends AbstractFailureAnalyzer<MissingTaskInfrastructureException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingTaskInfrastructureException cause) {
		String description = "taskqueue is configured with " + cause.getProperty() + "=" + cause.getValue()
				+ ", but it cannot be set up: " + cause.getFix() + ".";
		String action = "Either " + cause.getFix() + ", or remove " + cause.getProperty()
				+ " to use the in-memory default (development and tests only). A broker that is configured but not "
				+ "running does not stop start-up: workers wait for it and the taskqueue health indicator is DOWN.";
		return new FailureAnalysis(description, action, cause);
	}

}
