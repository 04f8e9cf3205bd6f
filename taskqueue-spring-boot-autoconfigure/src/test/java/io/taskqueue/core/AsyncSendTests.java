package io.taskqueue.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.taskqueue.broker.BrokerException;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.TaskBroker;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * {@link TaskRequest#sendAsync()} against a broker whose publications complete when the test says.
 */
class AsyncSendTests {

	private final ProducerFixture fixture = new ProducerFixture();

	private final TaskBroker broker = this.fixture.broker;

	private final TaskTemplate tasks = this.fixture.tasks;

	@Test
	void completesOnlyOnceTheBrokerHasTheMessageAndOnlyThenRecordsTheTask() throws Exception {
		CompletableFuture<Void> taken = new CompletableFuture<>();
		given(this.broker.publishAsync(any(OutboundMessage.class))).willReturn(taken);
		CompletableFuture<AsyncResult> sent = this.tasks.task("emails.send_welcome")
			.args("ada")
			.taskId("t-1")
			.sendAsync();
		assertThat(sent).isNotDone();
		assertThat(this.tasks.result("t-1").exists()).as("not known before the broker has it").isFalse();
		taken.complete(null);
		AsyncResult result = sent.get(5, TimeUnit.SECONDS);
		assertThat(result.id()).isEqualTo("t-1");
		assertThat(result.exists()).isTrue();
		verify(this.broker, never()).publish(any(OutboundMessage.class));
	}

	@Test
	void aRefusedMessageFailsTheFutureWithTheReasonAndFreesItsUniqueKey() throws Exception {
		BrokerException down = new BrokerException("broker down", new IllegalStateException("refused"));
		given(this.broker.publishAsync(any(OutboundMessage.class))).willReturn(CompletableFuture.failedFuture(down));
		CompletableFuture<AsyncResult> refused = send("ada");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> refused.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TaskPublishException.class)
			.withMessageContaining("Could not publish task 'emails.send_welcome'")
			.withMessageContaining("broker down");
		given(this.broker.publishAsync(any(OutboundMessage.class))).willReturn(CompletableFuture.completedFuture(null));
		AsyncResult retried = send("ada").get(5, TimeUnit.SECONDS);
		assertThat(send("ada").get(5, TimeUnit.SECONDS).id()).as("a duplicate gets the task holding the key")
			.isEqualTo(retried.id());
		verify(this.broker, times(2)).publishAsync(any(OutboundMessage.class));
	}

	@Test
	void aBrokerThatThrowsInsteadOfFailingTheFutureFailsItToo() {
		BrokerException closed = new BrokerException("no channel", new IllegalStateException("closed"));
		given(this.broker.publishAsync(any(OutboundMessage.class))).willThrow(closed);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> send("ada").get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TaskPublishException.class)
			.withMessageContaining("no channel");
	}

	@Test
	void atTheBoundASendFailsOnceItsWaitIsOverAndRoomFreedByTheBrokerIsUsedAgain() throws Exception {
		this.tasks.setPendingSendsLimit(2, Duration.ZERO);
		CompletableFuture<Void> first = new CompletableFuture<>();
		given(this.broker.publishAsync(any(OutboundMessage.class))).willReturn(first, new CompletableFuture<>(),
				CompletableFuture.completedFuture(null));
		assertThat(send("ada")).isNotDone();
		assertThat(send("bob")).isNotDone();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> send("cyd").get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TaskPublishException.class)
			.withMessageContaining("2 messages sent with sendAsync are still waiting for the broker")
			.withMessageContaining("taskqueue.producer.max-pending-sends");
		verify(this.broker, times(2)).publishAsync(any(OutboundMessage.class));
		first.complete(null);
		assertThat(send("cyd").get(5, TimeUnit.SECONDS).id()).isNotNull();
		verify(this.broker, times(3)).publishAsync(any(OutboundMessage.class));
	}

	@Test
	void atTheBoundASendWaitsInTheCallingThreadUntilTheBrokerTakesAMessage() throws Exception {
		CompletableFuture<Void> first = firstHeldThenTaken(1, Duration.ofMinutes(1));
		assertThat(send("ada")).isNotDone();
		CompletableFuture<CompletableFuture<AsyncResult>> second = new CompletableFuture<>();
		Thread sender = new Thread(() -> second.complete(send("bob")));
		sender.start();
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sender.getState() == Thread.State.TIMED_WAITING);
		assertThat(second).isNotDone();
		verify(this.broker, times(1)).publishAsync(any(OutboundMessage.class));
		first.complete(null);
		assertThat(second.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS).id()).isNotNull();
		verify(this.broker, times(2)).publishAsync(any(OutboundMessage.class));
	}

	@Test
	void onceAWaitForRoomRanOutFurtherSendsFailAtOnceUntilTheBrokerTakesAMessage() throws Exception {
		CompletableFuture<Void> first = firstHeldThenTaken(1, Duration.ofSeconds(2));
		assertThat(send("ada")).isNotDone();
		assertThat(send("bob")).as("failed once its wait ran out").isCompletedExceptionally();
		CompletableFuture<CompletableFuture<AsyncResult>> third = CompletableFuture.supplyAsync(() -> send("cyd"));
		Awaitility.await().atMost(Duration.ofSeconds(1)).until(third::isDone);
		assertThat(third.get()).isCompletedExceptionally();
		first.complete(null);
		assertThat(send("dee").get(5, TimeUnit.SECONDS).id()).as("waits again once room was freed").isNotNull();
		verify(this.broker, times(2)).publishAsync(any(OutboundMessage.class));
	}

	@Test
	void aCallbackOfASendThatSendsAgainFindsTheRoomOfTheMessageJustTaken() throws Exception {
		CompletableFuture<Void> first = firstHeldThenTaken(1, Duration.ofMinutes(1));
		CompletableFuture<CompletableFuture<AsyncResult>> next = new CompletableFuture<>();
		send("ada").thenAccept((sent) -> next.complete(send("bob")));
		first.complete(null);
		assertThat(next.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS).id()).isNotNull();
		verify(this.broker, times(2)).publishAsync(any(OutboundMessage.class));
	}

	@Test
	void aCallbackOfASendNeverWaitsForRoomSinceItsThreadMayBeTheOneThatFreesIt() throws Exception {
		this.tasks.setPendingSendsLimit(2, Duration.ofMinutes(1));
		CompletableFuture<Void> first = new CompletableFuture<>();
		given(this.broker.publishAsync(any(OutboundMessage.class))).willReturn(first, new CompletableFuture<>(),
				new CompletableFuture<>());
		List<CompletableFuture<AsyncResult>> fromCallback = new CopyOnWriteArrayList<>();
		send("ada").thenAccept((sent) -> {
			fromCallback.add(send("cyd"));
			fromCallback.add(send("dee"));
		});
		assertThat(send("bob")).isNotDone();
		CompletableFuture.runAsync(() -> first.complete(null));
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fromCallback.size() == 2);
		assertThat(fromCallback.get(0)).as("took the room the first message freed").isNotDone();
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> fromCallback.get(1).get(5, TimeUnit.SECONDS))
			.withMessageContaining("still waiting for the broker");
		verify(this.broker, times(3)).publishAsync(any(OutboundMessage.class));
	}

	@Test
	void messagesTheBrokerRefusedOrThrewOnLeaveNoPendingSendBehind() throws Exception {
		this.tasks.setPendingSendsLimit(1, Duration.ZERO);
		BrokerException closed = new BrokerException("no channel", new IllegalStateException("closed"));
		given(this.broker.publishAsync(any(OutboundMessage.class))).willThrow(closed)
			.willReturn(CompletableFuture.failedFuture(closed), CompletableFuture.completedFuture(null));
		assertThat(send("ada")).isCompletedExceptionally();
		assertThat(send("bob")).isCompletedExceptionally();
		assertThat(send("cyd").get(5, TimeUnit.SECONDS).id()).isNotNull();
		verify(this.broker, times(3)).publishAsync(any(OutboundMessage.class));
	}

	/**
	 * Bound pending sends, and have the broker hold the first message until the test completes the
	 * returned future, then take every later one at once.
	 */
	private CompletableFuture<Void> firstHeldThenTaken(int max, Duration wait) {
		this.tasks.setPendingSendsLimit(max, wait);
		CompletableFuture<Void> first = new CompletableFuture<>();
		given(this.broker.publishAsync(any(OutboundMessage.class))).willReturn(first,
				CompletableFuture.completedFuture(null));
		return first;
	}

	private CompletableFuture<AsyncResult> send(String email) {
		return this.tasks.task("emails.send_welcome").args(email).uniqueKey(email).sendAsync();
	}

}
