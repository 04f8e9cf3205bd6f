package io.taskqueue.ratelimit;

import java.time.Clock;

class InMemoryTaskRateLimiterTests extends AbstractTaskRateLimiterTests {

	private final InMemoryTaskRateLimiter limiter = new InMemoryTaskRateLimiter(Clock.systemUTC());

	@Override
	protected TaskRateLimiter createLimiter() {
		return this.limiter;
	}

}
