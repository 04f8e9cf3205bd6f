package io.taskqueue.cluster;

import java.time.Clock;

class InMemoryWorkerRegistryTests extends AbstractWorkerRegistryTests {

	@Override
	protected WorkerRegistry createRegistry() {
		return new InMemoryWorkerRegistry(Clock.systemUTC());
	}

}
