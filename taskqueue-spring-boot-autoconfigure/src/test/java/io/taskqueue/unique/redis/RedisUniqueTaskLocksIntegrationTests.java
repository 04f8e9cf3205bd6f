package io.taskqueue.unique.redis;

import io.taskqueue.redis.RedisTestConnection;
import io.taskqueue.unique.AbstractUniqueTaskLocksTests;
import io.taskqueue.unique.UniqueTaskLocks;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisUniqueTaskLocksIntegrationTests extends AbstractUniqueTaskLocksTests {

	@RegisterExtension
	static final RedisTestConnection redis = new RedisTestConnection("tqunique-");

	@Override
	protected UniqueTaskLocks createLocks() {
		return new RedisUniqueTaskLocks(redis.connectionFactory(), redis.prefix());
	}

}
