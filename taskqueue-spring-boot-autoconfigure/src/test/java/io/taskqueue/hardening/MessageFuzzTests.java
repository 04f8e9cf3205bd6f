package io.taskqueue.hardening;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.taskqueue.actuate.TaskQueueHealthIndicator;
import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.broker.Delivery;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.QueueStats;
import io.taskqueue.broker.inmemory.InMemoryTaskBroker;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.protocol.CeleryFixtures;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.protocol.MessageDecodingException;
import io.taskqueue.protocol.WireMessage;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

/**
 * Thousands of mutated copies of the captured Celery messages go to the decoder and through a real
 * worker. The decoder only ever answers with a message or a {@link MessageDecodingException}; the
 * worker settles every message exactly once (run, failed, or dead-lettered), stays healthy, and still
 * runs a good task afterwards. {@code -Dfuzz.count=N} and {@code -Dfuzz.seed=S} make longer or other
 * runs.
 */
class MessageFuzzTests {

	private static final List<String> SEEDS = List.of("redis-task-plain", "redis-task-chain", "redis-task-chord",
			"redis-task-countdown", "redis-task-eta", "redis-task-expires", "redis-task-group", "redis-task-link",
			"redis-task-link-error", "redis-task-options", "redis-task-priority-9", "redis-task-routed",
			"redis-task-unicode-kwargs", "redis-task-send-task-by-name");

	private static final int MAX_BODY = 64 * 1024;

	private static final int COUNT = Integer.getInteger("fuzz.count", 2_000);

	private static final long SEED = Long.getLong("fuzz.seed", 20261122L);

	@Test
	void theDecoderAnswersEveryMutationWithAMessageOrADecodingError() {
		CeleryMessageCodec codec = new CeleryMessageCodec(new JsonMapper(), MAX_BODY);
		MessageMutator mutator = new MessageMutator(SEED, MAX_BODY);
		List<WireMessage> seeds = seeds();
		int rejected = 0;
		for (int i = 0; i < COUNT * 5; i++) {
			WireMessage mutated = mutator.mutate(seeds.get(i % seeds.size()), i);
			try {
				codec.decode(mutated);
			}
			catch (MessageDecodingException ex) {
				assertThat(ex.getMessage()).isNotBlank();
				rejected++;
			}
		}
		assertThat(rejected).as("most mutations are rejected").isGreaterThan(COUNT);
	}

	@Test
	void theWorkerSettlesEveryMutatedMessageOnceAndStaysHealthy() {
		CountingBroker broker = new CountingBroker();
		new ApplicationContextRunner().withConfiguration(TaskQueueTestConfigurations.all())
			.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN, "taskqueue.worker.queues=fuzz,celery",
					"taskqueue.worker.max-message-size=" + MAX_BODY, "taskqueue.worker.max-deliveries=3")
			.withBean(InMemoryTaskBroker.class, () -> broker)
			.withBean(InteropTasks.class)
			.run((context) -> {
				MessageMutator mutator = new MessageMutator(SEED, MAX_BODY);
				List<WireMessage> seeds = seeds();
				List<OutboundMessage> batch = new ArrayList<>();
				for (int i = 0; i < COUNT; i++) {
					batch.add(new OutboundMessage("fuzz", mutator.mutate(seeds.get(i % seeds.size()), i), null));
				}
				broker.publishAll(batch);
				try {
					await().atMost(Duration.ofSeconds(Integer.getInteger("fuzz.wait", 120)))
						.pollInterval(Duration.ofMillis(100))
						.until(broker::idle);
				}
				catch (ConditionTimeoutException ex) {
					throw new AssertionError("Not every message was settled: " + broker.describe(), ex);
				}
				assertThat(broker.published.get()).isGreaterThanOrEqualTo(COUNT);
				assertThat(broker.settled() + broker.delayed())
					.as("every published message settled exactly once, or waiting for its eta (2030 in one fixture)")
					.isEqualTo(broker.published.get());
				assertThat(broker.delayed()).isLessThan(COUNT / 20);
				assertThat(broker.deadLettered.get()).as("malformed messages are dead-lettered").isPositive();
				TaskListenerEndpointRegistry registry = context.getBean(TaskListenerEndpointRegistry.class);
				assertThat(registry.getContainers()).allSatisfy((container) -> {
					assertThat(container.isRunning()).isTrue();
					assertThat(container.getLastError()).isNull();
				});
				assertThat(context.getBean(TaskQueueHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
				assertThat(context.getBean(TaskTemplate.class)
					.task("interop.add")
					.args(20, 22)
					.queue("fuzz")
					.send()
					.get(Duration.ofSeconds(10))).isEqualTo(42);
			});
	}

	@Test
	void deeplyNestedJsonIsRejectedWithAReasonInsteadOfOverflowingTheStack() {
		CeleryMessageCodec codec = new CeleryMessageCodec(new JsonMapper(), 10 * 1024 * 1024);
		WireMessage seed = CeleryFixtures.redisMessage("redis-task-plain");
		byte[] body = ("[[" + "[".repeat(200_000) + "]".repeat(200_000) + "], {}, {}]").getBytes();
		assertThatCode(() -> codec.decode(new WireMessage(seed.headers(), seed.properties(), body)))
			.isInstanceOf(MessageDecodingException.class)
			.hasMessageContaining("depth");
	}

	private static List<WireMessage> seeds() {
		return SEEDS.stream().map(CeleryFixtures::redisMessage).toList();
	}

	/** The in-memory broker, counting how each message ends. */
	static final class CountingBroker extends InMemoryTaskBroker {

		final AtomicLong published = new AtomicLong();

		final AtomicLong acked = new AtomicLong();

		final AtomicLong deadLettered = new AtomicLong();

		final AtomicLong dropped = new AtomicLong();

		@Override
		public void publish(OutboundMessage message) {
			this.published.incrementAndGet();
			super.publish(message);
		}

		@Override
		public void ack(Delivery delivery) {
			this.acked.incrementAndGet();
			super.ack(delivery);
		}

		@Override
		public void deadLetter(Delivery delivery, String reason) {
			this.deadLettered.incrementAndGet();
			super.deadLetter(delivery, reason);
		}

		@Override
		public void reject(Delivery delivery, boolean requeue) {
			if (!requeue) {
				this.dropped.incrementAndGet();
			}
			super.reject(delivery, requeue);
		}

		String describe() {
			StringBuilder text = new StringBuilder("published=" + this.published + " acked=" + this.acked
					+ " deadLettered=" + this.deadLettered + " dropped=" + this.dropped);
			queueNames().forEach((queue) -> text.append(' ').append(stats(queue)));
			return text.toString();
		}

		/** Nothing ready or running, and every message either settled or waiting for its (future) eta. */
		boolean idle() {
			long open = 0;
			for (String queue : queueNames()) {
				QueueStats stats = stats(queue);
				open += stats.ready() + stats.inFlight();
			}
			return open == 0 && this.published.get() == settled() + delayed();
		}

		long settled() {
			return this.acked.get() + this.deadLettered.get() + this.dropped.get();
		}

		long delayed() {
			return queueNames().stream().mapToLong((queue) -> stats(queue).delayed()).sum();
		}

	}

	/** The tasks the captured messages name, with no retries so every outcome is final. */
	static class InteropTasks {

		@TaskListener(name = "interop.add", maxRetries = 0)
		int add(int x, int y) {
			return x + y;
		}

		@TaskListener(name = "interop.mul", maxRetries = 0)
		int mul(int x, int y) {
			return x * y;
		}

		@TaskListener(name = "interop.echo", maxRetries = 0)
		Object echo(Object obj) {
			return obj;
		}

		@TaskListener(name = "interop.fail", maxRetries = 0)
		void fail(String message) {
			throw new IllegalStateException(message);
		}

	}

}
