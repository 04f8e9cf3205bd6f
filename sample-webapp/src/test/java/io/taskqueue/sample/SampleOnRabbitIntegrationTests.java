package io.taskqueue.sample;

import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.ActiveProfiles;

/**
 * The distributed sample on RabbitMQ (broker) with results in Redis.
 */
@ActiveProfiles("rabbit")
class SampleOnRabbitIntegrationTests extends SampleDistributedIntegrationTests {

	@BeforeAll
	static void startWorker() throws Exception {
		startWorkerProcess("rabbit");
	}

}
