package io.taskqueue.result.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.taskqueue.core.TaskState;
import io.taskqueue.protocol.CeleryFixtures;
import io.taskqueue.redis.RedisTestSupport;
import io.taskqueue.result.AbstractResultBackendTests;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.TaskError;
import io.taskqueue.result.TaskResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The result backend contract on a real Redis, plus Celery's layout in both directions.
 */
class RedisResultBackendIntegrationTests extends AbstractResultBackendTests {

	private static final JsonMapper mapper = new JsonMapper();

	private static LettuceConnectionFactory connectionFactory;

	private final List<String> written = new ArrayList<>();

	private StringRedisTemplate redis;

	@BeforeAll
	static void connect() {
		connectionFactory = RedisTestSupport.connectionFactory();
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected ResultBackend createBackend() {
		this.redis = new StringRedisTemplate(connectionFactory);
		return new RedisResultBackend(connectionFactory, mapper, Duration.ofMinutes(10));
	}

	@AfterEach
	void cleanUp() throws Exception {
		((RedisResultBackend) this.backend).destroy();
		RedisTestSupport.deleteKeys(connectionFactory, "celery-task-meta-contract-*");
		RedisTestSupport.deleteKeys(connectionFactory, "celery-taskset-meta-contract-*");
		this.redis.delete(this.written);
	}

	@Override
	protected void expireStoredResults() {
		RedisTestSupport.deleteKeys(connectionFactory, "celery-task-meta-contract-*");
	}

	@Test
	void storesWithTheConfiguredTimeToLive() {
		String id = id();
		this.backend.store(TaskResult.success(id, "t", 1, Instant.now()));
		assertThat(this.redis.getExpire("celery-task-meta-" + id)).isBetween(590L, 600L);
	}

	@Test
	void aSentTaskIsRecordedAsPendingSoonAndReadableHereAtOnce() throws Exception {
		String id = id();
		this.backend.recordPending(TaskResult.pending(id, "sent.task"));
		assertThat(this.backend.get(id).state()).isEqualTo(TaskState.PENDING);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.redis.hasKey("celery-task-meta-" + id));
		this.backend.store(TaskResult.success(id, "sent.task", 1, Instant.now()));
		RedisResultBackend other = new RedisResultBackend(connectionFactory, mapper, Duration.ofMinutes(10));
		String another = id();
		other.recordPending(TaskResult.pending(id, "sent.task"));
		other.recordPending(TaskResult.pending(another, "sent.task"));
		other.flush();
		// written once flushed, and never in place of a stored state
		assertThat(this.redis.opsForValue().get("celery-task-meta-" + another)).contains("PENDING", "sent.task");
		assertThat(this.redis.opsForValue().get("celery-task-meta-" + id)).contains("SUCCESS");
		other.destroy();
	}

	@Test
	void writesCeleryResultJson() {
		String id = id();
		this.backend.store(TaskResult.success(id, "math.add", 5, Instant.parse("2026-11-21T20:48:54.286096Z")));
		JsonNode stored = mapper.readTree(this.redis.opsForValue().get("celery-task-meta-" + id));
		JsonNode celery = CeleryFixtures.read("redis-result-success").get("final_value").get("parsed");
		assertThat(stored.get("status").asString()).isEqualTo("SUCCESS");
		assertThat(stored.get("result").asInt()).isEqualTo(5);
		assertThat(stored.get("date_done").asString()).isEqualTo("2026-11-21T20:48:54.286096");
		assertThat(stored.get("task_id").asString()).isEqualTo(id);
		assertThat(stored.get("children").isArray()).isTrue();
		celery.propertyNames().forEach((field) -> assertThat(stored.has(field)).as(field).isTrue());
	}

	@Test
	void writesFailuresAsCeleryExceptionDicts() {
		String id = id();
		this.backend.store(TaskResult.failure(id, "t", new TaskError("IllegalStateException", "bad state", "java.lang"),
				"trace", Instant.now()));
		JsonNode result = mapper.readTree(this.redis.opsForValue().get("celery-task-meta-" + id)).get("result");
		assertThat(result.get("exc_type").asString()).isEqualTo("IllegalStateException");
		assertThat(result.get("exc_message").get(0).asString()).isEqualTo("bad state");
		assertThat(result.get("exc_module").asString()).isEqualTo("java.lang");
	}

	@Test
	void readsResultsCeleryWrote() {
		JsonNode fixture = CeleryFixtures.read("redis-result-failure");
		String id = fixture.get("task_id").asString();
		String key = "celery-task-meta-" + id;
		this.written.add(key);
		this.redis.opsForValue().set(key, fixture.get("final_value").get("raw").asString());
		TaskResult result = this.backend.get(id);
		assertThat(result.state()).isEqualTo(TaskState.FAILURE);
		assertThat(result.error()).isEqualTo(new TaskError("ValueError", "boom", "builtins"));
		assertThat(result.traceback()).contains("ValueError: boom");
		assertThat(result.dateDone()).isNotNull();
	}

	@Test
	void publishesEveryReadyStateOnTheResultChannelForPythonWaiters() throws Exception {
		String id = id();
		List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
		RedisMessageListenerContainer container = listen("celery-task-meta-" + id, received);
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> {
				this.backend.store(TaskResult.started(id, "t", java.util.Map.of("pid", 1)));
				return !received.isEmpty();
			});
			this.backend.store(TaskResult.success(id, "t", "done", Instant.now()));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> received.stream().anyMatch((json) -> json.contains("\"SUCCESS\"")));
		}
		finally {
			container.destroy();
		}
	}

	@Test
	void announcesOnlyReadyStatesOnTheSendersReplyChannel() throws Exception {
		String replyTo = "reply-" + UUID.randomUUID();
		String id = id();
		List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
		RedisMessageListenerContainer container = listen(ReplyChannel.channelOf(replyTo), received);
		try {
			String probe = id();
			await().atMost(Duration.ofSeconds(5)).until(() -> {
				this.backend.store(TaskResult.success(probe, "t", 0, Instant.now()).withLineage(null, null, replyTo));
				return !received.isEmpty();
			});
			this.backend.store(TaskResult.started(id, "t", java.util.Map.of("pid", 1)).withLineage(null, null, replyTo));
			this.backend.store(TaskResult.success(id, "t", "done", Instant.now()).withLineage(null, null, replyTo));
			await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().anyMatch((m) -> m.startsWith(id)));
			List<String> announced = received.stream().filter((m) -> m.startsWith(id + "\n")).toList();
			assertThat(announced).hasSize(1);
			assertThat(mapper.readTree(announced.get(0).substring(id.length() + 1)).get("status").asString())
				.isEqualTo("SUCCESS");
		}
		finally {
			container.destroy();
		}
	}

	@Test
	void aWaiterForATaskSentHereIsCompletedByItsReplyAlone() throws Exception {
		String id = id();
		sentHere(this.backend, id, "t");
		CompletableFuture<TaskResult> ready = this.backend.whenReady(id);
		// Announced on the reply channel only, not stored: nothing else could complete the waiter.
		String channel = ReplyChannel.channelOf(this.backend.replyAddress());
		// sent until the backend's subscription, made in the background at start, received it
		await().atMost(Duration.ofSeconds(5)).until(() -> this.redis.convertAndSend(channel, reply(id, 42)) == 1);
		assertThat(ready.get(5, TimeUnit.SECONDS).result()).isEqualTo(42);
	}

	@Test
	void aWaiterWhoseReplyDoesNotComeFallsBackToTheTasksOwnChannel() throws Exception {
		String id = id();
		sentHere(this.backend, id, "t");
		CompletableFuture<TaskResult> ready = this.backend.whenReady(id);
		// A Python worker stores and publishes on the task's own channel only.
		RedisResultBackend worker = new RedisResultBackend(connectionFactory, mapper, Duration.ofMinutes(10));
		try {
			worker.store(TaskResult.success(id, "t", "from python", Instant.now()));
			// well before the 5-10 s re-read of long waits
			assertThat(ready.get(3, TimeUnit.SECONDS).result()).isEqualTo("from python");
		}
		finally {
			worker.destroy();
		}
	}

	@Test
	void aReplyThatComesBeforeAnyoneWaitsIsHandedToTheFirstWaiter() throws Exception {
		String probe = id();
		String id = id();
		sentHere(this.backend, probe, "t");
		CompletableFuture<TaskResult> probeReady = this.backend.whenReady(probe);
		sentHere(this.backend, id, "t");
		String channel = ReplyChannel.channelOf(this.backend.replyAddress());
		await().atMost(Duration.ofSeconds(5)).until(() -> this.redis.convertAndSend(channel, reply(id, 7)) == 1);
		this.redis.convertAndSend(channel, reply(probe, 0));
		// One connection delivers the channel's messages in order: the early reply was taken in first.
		probeReady.get(5, TimeUnit.SECONDS);
		CompletableFuture<TaskResult> ready = this.backend.whenReady(id);
		// Stored nowhere and announced before the wait: only the kept reply can have completed it.
		assertThat(ready).isCompleted();
		assertThat(ready.get().result()).isEqualTo(7);
	}

	@Test
	void aTaskNameWhoseResultCameWithoutAReplyIsAwaitedOnItsOwnChannelNextTime() throws Exception {
		RedisResultBackend backend = (RedisResultBackend) this.backend;
		String first = id();
		sentHere(backend, first, "py.add");
		CompletableFuture<TaskResult> ready = backend.whenReady(first);
		RedisResultBackend python = new RedisResultBackend(connectionFactory, mapper, Duration.ofMinutes(10));
		try {
			python.store(TaskResult.success(first, "py.add", 3, Instant.now()));
			assertThat(ready.get(3, TimeUnit.SECONDS).result()).isEqualTo(3);
		}
		finally {
			python.destroy();
		}
		String next = id();
		String other = id();
		sentHere(backend, next, "py.add");
		sentHere(backend, other, "java.add");
		assertThat(backend.replyChannel().expectsReply(next)).isFalse();
		assertThat(backend.replyChannel().expectsReply(other)).isTrue();
	}

	/**
	 * Record a task as sent by the backend's own process, so its reply is expected there.
	 */
	private static void sentHere(ResultBackend backend, String taskId, String taskName) {
		backend.recordPending(TaskResult.pending(taskId, taskName).withLineage(null, null, backend.replyAddress()));
	}

	private static String reply(String taskId, int result) {
		return taskId + "\n{\"status\": \"SUCCESS\", \"result\": " + result + ", \"task_id\": \"" + taskId + "\"}";
	}

	/**
	 * Collect the messages of a channel (the subscription becomes active in the background).
	 */
	private static RedisMessageListenerContainer listen(String channel, List<String> received) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connectionFactory);
		container.afterPropertiesSet();
		container.start();
		container.addMessageListener((message, pattern) -> received.add(new String(message.getBody())),
				new ChannelTopic(channel));
		return container;
	}

}
