package io.taskqueue.autoconfigure;

import io.taskqueue.broker.TaskBroker;
import io.taskqueue.broker.inmemory.InMemoryTaskBroker;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.inmemory.InMemoryResultBackend;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Logs one WARN line when the broker or result backend is the in-memory default, so that nobody
 * runs production on it unknowingly.
 */
class InMemoryDefaultsReporter implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(InMemoryDefaultsReporter.class);

	private final ObjectProvider<TaskBroker> broker;

	private final ObjectProvider<ResultBackend> resultBackend;

	InMemoryDefaultsReporter(ObjectProvider<TaskBroker> broker, ObjectProvider<ResultBackend> resultBackend) {
		this.broker = broker;
		this.resultBackend = resultBackend;
	}

	@Override
	public void afterSingletonsInstantiated() {
		String message = message(this.broker.getIfUnique() instanceof InMemoryTaskBroker,
				this.resultBackend.getIfUnique() instanceof InMemoryResultBackend);
		if (message != null) {
			logger.warn(message);
		}
	}

	static String message(boolean inMemoryBroker, boolean inMemoryBackend) {
		if (inMemoryBroker && inMemoryBackend) {
			return "taskqueue is using the in-memory broker and result backend: tasks and results live in this JVM"
					+ " only and are lost on restart. Set taskqueue.broker.type and taskqueue.result-backend.type"
					+ " (redis, rabbit) for anything beyond development and tests.";
		}
		if (inMemoryBroker) {
			return "taskqueue is using the in-memory broker: tasks live in this JVM only and are lost on restart."
					+ " Set taskqueue.broker.type (redis, rabbit) for anything beyond development and tests.";
		}
		if (inMemoryBackend) {
			return "taskqueue is using the in-memory result backend: other processes cannot read these results."
					+ " Set taskqueue.result-backend.type=redis to share them.";
		}
		return null;
	}

}
