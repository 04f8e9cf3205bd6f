package io.taskqueue.listener;

import java.util.Locale;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.taskqueue.broker.Delivery;
import io.taskqueue.core.TaskState;
import io.taskqueue.observation.TaskObservations;
import io.taskqueue.protocol.TaskMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Wraps one task execution in its observation (a timer and, with tracing, a span that continues
 * the sender's trace), puts the task's id and name in the logging MDC while it runs, and logs one
 * INFO line with the outcome and duration when it ends.
 */
final class ObservedExecution {

	/** MDC key of the running task's id. */
	static final String MDC_TASK_ID = "taskId";

	/** MDC key of the running task's name. */
	static final String MDC_TASK_NAME = "taskName";

	private static final Log logger = LogFactory.getLog(ObservedExecution.class);

	private final ObservationRegistry registry;

	ObservedExecution(ObservationRegistry registry) {
		this.registry = registry;
	}

	TaskRunner.Outcome run(Delivery delivery, TaskMessage message, Supplier<TaskRunner.Outcome> execution) {
		Observation observation = TaskObservations.execution(this.registry, message.task(), message.id(),
				delivery.queue(), message.extraHeaders());
		long start = System.nanoTime();
		String outcome = "abandoned";
		observation.start();
		MDC.put(MDC_TASK_ID, message.id());
		MDC.put(MDC_TASK_NAME, message.task());
		try (Observation.Scope scope = observation.openScope()) {
			TaskRunner.Outcome ran = execution.get();
			if (ran.state() != null) {
				outcome = ran.state().name().toLowerCase(Locale.ROOT);
			}
			return ran;
		}
		catch (RuntimeException | Error ex) {
			outcome = "error";
			observation.error(ex);
			throw ex;
		}
		finally {
			TaskObservations.outcome(observation, outcome);
			observation.stop();
			if (logger.isInfoEnabled()) {
				logger.info("Task " + message.task() + "[" + message.id() + "] " + outcome + " in "
						+ (System.nanoTime() - start) / 1_000_000 + " ms");
			}
			MDC.remove(MDC_TASK_ID);
			MDC.remove(MDC_TASK_NAME);
		}
	}

}
