package io.taskqueue.broker.inmemory;

import java.time.Duration;

import io.taskqueue.broker.AbstractTaskBrokerTests;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.TaskBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryTaskBrokerTests extends AbstractTaskBrokerTests {

	@Override
	protected TaskBroker createBroker() {
		return new InMemoryTaskBroker();
	}

	@Test
	void deadLettersKeepTheMessageAndTheReason() throws Exception {
		InMemoryTaskBroker inMemory = (InMemoryTaskBroker) this.broker;
		inMemory.publish(new OutboundMessage(this.queue, message("bad", null), null));
		inMemory.deadLetter(inMemory.poll(this.queue, 1, Duration.ofSeconds(1)).get(0), "no such task");
		assertThat(inMemory.deadLetters(this.queue, 100)).singleElement().satisfies((letter) -> {
			assertThat(letter.reason()).isEqualTo("no such task");
			assertThat(letter.message().taskId()).isEqualTo("bad");
		});
	}

	@Test
	void unsettledMessagesCanBeGivenBackAsAfterAConnectionLoss() throws Exception {
		InMemoryTaskBroker inMemory = (InMemoryTaskBroker) this.broker;
		inMemory.publish(new OutboundMessage(this.queue, message("held", null), null));
		inMemory.poll(this.queue, 1, Duration.ofSeconds(1));
		assertThat(inMemory.stats(this.queue).inFlight()).isEqualTo(1);
		assertThat(inMemory.requeueInFlight()).isEqualTo(1);
		assertThat(inMemory.poll(this.queue, 1, Duration.ofSeconds(1))).singleElement()
			.satisfies((delivery) -> assertThat(delivery.redelivered()).isTrue());
	}

}
