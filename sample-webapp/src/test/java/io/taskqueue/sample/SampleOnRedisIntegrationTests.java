package io.taskqueue.sample;

import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.ActiveProfiles;

/**
 * The distributed sample on Redis (broker and results).
 */
@ActiveProfiles("redis")
class SampleOnRedisIntegrationTests extends SampleDistributedIntegrationTests {

	@BeforeAll
	static void startWorker() throws Exception {
		startWorkerProcess("redis");
	}

}
