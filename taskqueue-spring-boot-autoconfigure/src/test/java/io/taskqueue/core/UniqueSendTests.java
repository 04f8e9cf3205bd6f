package io.taskqueue.core;

import java.time.Instant;

import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.result.TaskResult;
import io.taskqueue.result.inmemory.InMemoryResultBackend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * Unique sends on the in-memory claim store, with a broker that can refuse messages.
 */
class UniqueSendTests {

	private final ProducerFixture fixture = new ProducerFixture();

	private final TaskBroker broker = this.fixture.broker;

	private final InMemoryResultBackend backend = this.fixture.backend;

	private final TaskTemplate tasks = this.fixture.tasks;

	@Test
	void aDuplicateReturnsTheQueuedTaskAndAFinishedOneFreesTheKey() {
		AsyncResult first = send("ada");
		assertThat(send("ada").id()).isEqualTo(first.id());
		assertThat(send("bob").id()).isNotEqualTo(first.id());
		assertThat(this.tasks.task("other.task").uniqueKey("ada").send().id()).as("keys are per task name")
			.isNotEqualTo(first.id());
		this.backend.store(TaskResult.success(first.id(), "emails.send_welcome", "sent", Instant.now()));
		assertThat(send("ada").id()).isNotEqualTo(first.id());
		verify(this.broker, times(4)).publish(any(OutboundMessage.class));
	}

	@Test
	void aSendTheBrokerRefusedFreesItsKey() {
		willThrow(new IllegalStateException("broker down")).given(this.broker).publish(any(OutboundMessage.class));
		assertThatExceptionOfType(TaskPublishException.class).isThrownBy(() -> send("ada"));
		reset(this.broker);
		AsyncResult retried = send("ada");
		assertThat(send("ada").id()).isEqualTo(retried.id());
		verify(this.broker).publish(any(OutboundMessage.class));
	}

	private AsyncResult send(String email) {
		return this.tasks.task("emails.send_welcome").args(email).uniqueKey(email).send();
	}

}
