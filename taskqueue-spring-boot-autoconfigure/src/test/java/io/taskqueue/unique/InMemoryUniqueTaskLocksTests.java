package io.taskqueue.unique;

import java.time.Clock;

class InMemoryUniqueTaskLocksTests extends AbstractUniqueTaskLocksTests {

	private final InMemoryUniqueTaskLocks locks = new InMemoryUniqueTaskLocks(Clock.systemUTC());

	@Override
	protected UniqueTaskLocks createLocks() {
		return this.locks;
	}

}
