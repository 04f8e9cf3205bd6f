package io.taskqueue.support;

import io.taskqueue.broker.TaskBroker;
import io.taskqueue.result.ResultBackend;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Sends what the broker and the result backend queued to send later (acknowledgements of finished
 * tasks, STARTED and PENDING records) when the application stops: after the workers have stopped
 * (they stop in the last phase) and before the connection factories close (they stop in phase 0 or
 * lower), which is before any bean is destroyed.
 */
public class DeferredWritesFlusher implements SmartLifecycle {

	/** Right after the worker registry, which stops in {@link SmartLifecycle#DEFAULT_PHASE}. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1;

	private static final Log logger = LogFactory.getLog(DeferredWritesFlusher.class);

	private final @Nullable TaskBroker broker;

	private final @Nullable ResultBackend backend;

	private volatile boolean running;

	/**
	 * Create a flusher.
	 * @param broker the broker, if any
	 * @param backend the result backend, if any
	 */
	public DeferredWritesFlusher(@Nullable TaskBroker broker, @Nullable ResultBackend backend) {
		this.broker = broker;
		this.backend = backend;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		try {
			if (this.broker != null) {
				this.broker.flush();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not send the acknowledgements queued at shutdown; their messages are delivered"
					+ " again and found done: " + ex.getMessage());
		}
		try {
			if (this.backend != null) {
				this.backend.flush();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not write the task states queued at shutdown: " + ex.getMessage());
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
