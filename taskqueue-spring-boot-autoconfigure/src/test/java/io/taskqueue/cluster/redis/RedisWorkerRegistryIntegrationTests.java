package io.taskqueue.cluster.redis;

import java.time.Clock;

import io.taskqueue.cluster.AbstractWorkerRegistryTests;
import io.taskqueue.cluster.WorkerRegistry;
import io.taskqueue.redis.RedisTestConnection;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

class RedisWorkerRegistryIntegrationTests extends AbstractWorkerRegistryTests {

	@RegisterExtension
	static final RedisTestConnection redis = new RedisTestConnection("tqworkers-");

	@Override
	protected WorkerRegistry createRegistry() {
		return new RedisWorkerRegistry(redis.connectionFactory(), new JsonMapper(), redis.prefix(), Clock.systemUTC());
	}

}
