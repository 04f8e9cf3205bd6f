package io.taskqueue.autoconfigure.redis;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Matches when Redis is taskqueue's broker or result backend, so that Redis also coordinates rate
 * limits and beat across instances.
 */
class RedisInUseCondition extends AnyNestedCondition {

	RedisInUseCondition() {
		super(ConfigurationPhase.REGISTER_BEAN);
	}

	@ConditionalOnProperty(name = "taskqueue.broker.type", havingValue = "redis")
	static final class RedisBroker {

	}

	@ConditionalOnProperty(name = "taskqueue.result-backend.type", havingValue = "redis")
	static final class RedisResultBackend {

	}

}
