package io.taskqueue.result.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.taskqueue.core.TaskState;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.ResultWaiters;
import io.taskqueue.result.TaskResult;
import io.taskqueue.support.CombiningWriter;
import io.taskqueue.support.redis.LuaScripts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * A {@link ResultBackend} in Celery's Redis layout: each state is {@code SETEX celery-task-meta-<id>}
 * plus a {@code PUBLISH} of the same JSON on the channel of that name, so Python clients waiting for
 * a result wake up. A ready state of a task sent by a taskqueue producer is also announced on that
 * process's {@link ReplyChannel reply channel}, so Java callers wait for the tasks they sent without a
 * subscription per task; other waits subscribe to the task's channel (one shared subscription per
 * JVM, updated in batches). A slow re-read is the safety net for notifications lost while Redis was
 * unreachable.
 */
public class RedisResultBackend implements ResultBackend, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisResultBackend.class);

	private static final String KEY_PREFIX = "celery-task-meta-";

	private static final String TASKSET_PREFIX = "celery-taskset-meta-";

	private static final String TERMINATE_CHANNEL = "taskqueue-terminate";

	private static final Duration RECHECK_INTERVAL = Duration.ofSeconds(5);

	/** How often waiters for replies that have not come fall back to their task's channel. */
	private static final Duration REPLY_TICK = Duration.ofMillis(100);

	private static final int READ_BATCH = 1_000;

	private static final int MAX_BATCH = 256;

	/** The ready states' names as they appear in a state's JSON. */
	private static final List<String> QUOTED_READY_STATES = Arrays.stream(TaskState.values())
		.filter(TaskState::isReady)
		.map((state) -> "\"" + state.name() + "\"")
		.toList();

	private final StringRedisTemplate redis;

	private final CeleryResultMeta meta;

	private final Duration timeToLive;

	private final RedisScript<Long> storeScript = LuaScripts.load(RedisResultBackend.class, "store.lua", Long.class);

	private final RedisScript<List> chordJoinScript = LuaScripts.load(RedisResultBackend.class, "chord-join.lua",
			List.class);

	private final List<Consumer<String>> terminationListeners = new CopyOnWriteArrayList<>();

	private final MessageListener listener = this::onMessage;

	private final ResultWaiters waiters = new ResultWaiters((taskId) -> {
	}, this::unsubscribe);

	private final ReplyChannel replies = new ReplyChannel();

	/** The tasks whose own channels are subscribed to. */
	private final Map<String, Boolean> subscribed = new ConcurrentHashMap<>();

	private final ResultSubscriber resultSubscriber;

	private final PendingRecords pendingRecords;

	private final ScheduledExecutorService recheck;

	private volatile Set<String> previouslyAwaited = Set.of();

	private final CombiningWriter<EncodedState, @Nullable Void> stores;

	private final RedisRevocations revocations;

	/**
	 * Create a backend.
	 * @param connectionFactory the application's Redis connections
	 * @param mapper the JSON mapper for result values
	 * @param timeToLive how long results are kept ({@code result_expires}); zero keeps them forever
	 */
	public RedisResultBackend(RedisConnectionFactory connectionFactory, JsonMapper mapper, Duration timeToLive) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.meta = new CeleryResultMeta(mapper);
		this.timeToLive = timeToLive;
		this.resultSubscriber = new ResultSubscriber(connectionFactory, this.listener, TERMINATE_CHANNEL,
				this::subscribed);
		this.revocations = new RedisRevocations(this.redis, TERMINATE_CHANNEL, this.resultSubscriber::isConnected);
		this.recheck = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("taskqueue-results-"));
		this.pendingRecords = new PendingRecords(this::writePending, this.recheck);
		this.stores = new CombiningWriter<>(this::storeAll, MAX_BATCH, this.recheck, (ex) -> {
			this.revocations.suspend();
			logger.warn("Could not record that tasks started: " + ex.getMessage());
		});
		this.recheck.scheduleWithFixedDelay(
				this::recheck, RECHECK_INTERVAL.toMillis(), RECHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
		this.recheck.scheduleWithFixedDelay(this::replyTick, REPLY_TICK.toMillis(), REPLY_TICK.toMillis(),
				TimeUnit.MILLISECONDS);
		this.resultSubscriber.subscribe(this.replies.channel());
	}

	@Override
	public String replyAddress() {
		return this.replies.replyTo();
	}

	/**
	 * Store a state; concurrent callers' states go out in one script call, and each caller returns
	 * only once its own is stored. The JSON is written by the caller, so a value that cannot be
	 * written fails its own store and no other.
	 */
	@Override
	public void store(TaskResult result) {
		EncodedState state = encode(result);
		try {
			this.stores.submit(state);
		}
		catch (DataAccessException ex) {
			// Redis is out of reach: until the revocations can be loaded again, check them in Redis,
			// so that a worker does not run tasks whose outcome it cannot store.
			this.revocations.suspend();
			throw ex;
		}
	}

	/**
	 * Store a state without waiting for other callers' writes: written at once, by the caller when no
	 * write is in progress, else in the next batch, which the backend's thread writes as soon as the
	 * write in progress ends. The JSON is written by the caller.
	 */
	@Override
	public CompletableFuture<@Nullable Void> storeAsync(TaskResult result) {
		CompletableFuture<@Nullable Void> stored = this.stores.submitAsync(encode(result));
		stored.exceptionally((ex) -> {
			if (ex instanceof DataAccessException) {
				this.revocations.suspend();
			}
			return null;
		});
		return stored;
	}

	/**
	 * Record STARTED without waiting: it goes out with the next batch of states (at the latest a
	 * millisecond later), ahead of the task's outcome, which is stored after it.
	 */
	@Override
	public void recordStarted(TaskResult started) {
		this.stores.submitLater(encode(started));
	}

	private EncodedState encode(TaskResult result) {
		String replyTo = result.replyTo();
		boolean announced = replyTo != null && !replyTo.isBlank() && result.isReady();
		String replyChannel = announced ? ReplyChannel.channelOf(replyTo) : "";
		return new EncodedState(key(result.taskId()), this.meta.encode(result), result.status(), replyChannel);
	}

	private List<@Nullable Void> storeAll(List<EncodedState> states) {
		List<String> keys = new ArrayList<>(states.size());
		Object[] args = new Object[3 * states.size() + 1];
		for (int i = 0; i < states.size(); i++) {
			EncodedState state = states.get(i);
			keys.add(state.key());
			args[3 * i] = state.json();
			args[3 * i + 1] = state.status();
			args[3 * i + 2] = state.replyChannel();
		}
		args[3 * states.size()] = Long.toString(this.timeToLive.toSeconds());
		this.redis.execute(this.storeScript, keys, args);
		return Collections.nCopies(states.size(), null);
	}

	@Override
	public void recordPending(TaskResult pending) {
		this.replies.sent(pending.taskId(), (pending.taskName() != null) ? pending.taskName() : "", pending.replyTo());
		this.pendingRecords.add(pending);
	}

	/**
	 * Write PENDING records of sent tasks, many per call; the script writes each only where nothing
	 * is stored yet.
	 */
	private void writePending(List<TaskResult> batch) {
		storeAll(batch.stream().map(this::encode).toList());
	}

	@Override
	public void flush() {
		this.pendingRecords.flush();
		this.stores.drain();
	}

	@Override
	public @Nullable TaskResult get(String taskId) {
		TaskResult stored = this.meta.decode(taskId, this.redis.opsForValue().get(key(taskId)));
		return (stored != null) ? stored : this.pendingRecords.get(taskId);
	}

	/**
	 * Register a waiter. A task this process sent and has had no reply for yet is awaited on the
	 * reply channel (falling back to its own channel if the reply is slow to come); any other is
	 * awaited on its own channel, whose subscriber re-reads the result once the subscription is
	 * active, so no read is needed here.
	 */
	@Override
	public CompletableFuture<TaskResult> whenReady(String taskId) {
		CompletableFuture<TaskResult> future = this.waiters.register(taskId);
		String early = this.replies.claim(taskId);
		if (early != null && completeWith(taskId, early)) {
			return future;
		}
		if (this.replies.expectsReply(taskId)) {
			this.replies.awaitReply(taskId);
		}
		else {
			subscribe(taskId);
		}
		return future;
	}

	/**
	 * What the reply channel remembers (sent tasks, early replies, names served without replies); for
	 * tests of how waits are routed.
	 */
	ReplyChannel replyChannel() {
		return this.replies;
	}

	@Override
	public void forget(String taskId) {
		this.redis.delete(key(taskId));
	}

	@Override
	public void startChord(String groupId, int size) {
		String key = TASKSET_PREFIX + groupId + ".s";
		this.redis.opsForValue().set(key, Integer.toString(size), ttl());
		this.redis.convertAndSend(key, Integer.toString(size));
	}

	@Override
	public @Nullable List<TaskResult> completeChordMember(String groupId, @Nullable Integer groupIndex,
			TaskResult member) {
		String base = TASKSET_PREFIX + groupId;
		List<?> entries = this.redis.execute(this.chordJoinScript,
				List.of(base + ".j", base + ".s", base + ".t", base + ".cb", base + ".ids"),
				(groupIndex != null) ? groupIndex.toString() : "+inf", this.meta.chordEntry(member), member.taskId(),
				Long.toString(ttl().toSeconds()));
		// The script's nil (chord not complete here) arrives as null or as a list holding one null.
		if (entries == null || entries.isEmpty() || entries.get(0) == null) {
			return null;
		}
		return entries.stream().map((entry) -> this.meta.decodeChordEntry(entry.toString())).toList();
	}

	private Duration ttl() {
		return this.timeToLive.isZero() ? Duration.ofDays(1) : this.timeToLive;
	}

	@Override
	public void revoke(String taskId, boolean terminate, Duration timeToLive) {
		this.revocations.revoke(taskId, terminate, timeToLive);
	}

	/**
	 * Check whether a task is revoked: from the revocations this worker holds in memory while its
	 * subscription is up, from Redis otherwise (see {@link RedisRevocations}).
	 */
	@Override
	public boolean isRevoked(String taskId) {
		return this.revocations.isRevoked(taskId);
	}

	@Override
	public void addTerminationListener(Consumer<String> listener) {
		this.terminationListeners.add(listener);
		// A worker: hold revocations in memory from now on, kept current by their announcements.
		this.resultSubscriber.subscribe(RedisRevocations.CHANNEL);
		// Give the subscription a moment so announcements made right after start-up are not missed,
		// but never hold start-up hostage to an unreachable Redis.
		if (!this.resultSubscriber.awaitConnected(Duration.ofSeconds(2))) {
			logger.debug("Redis is not reachable yet; terminations are received once it is");
		}
	}

	@Override
	public void destroy() throws Exception {
		this.recheck.shutdown();
		flush();
		this.recheck.shutdownNow();
		this.resultSubscriber.close();
	}

	private void onMessage(Message message, byte @Nullable [] pattern) {
		String channel = new String(message.getChannel(), StandardCharsets.UTF_8);
		if (channel.equals(RedisRevocations.CHANNEL)) {
			this.revocations.announced(new String(message.getBody(), StandardCharsets.UTF_8));
			return;
		}
		if (channel.equals(TERMINATE_CHANNEL)) {
			String taskId = new String(message.getBody(), StandardCharsets.UTF_8);
			this.terminationListeners.forEach((listener) -> listener.accept(taskId));
			return;
		}
		String body = new String(message.getBody(), StandardCharsets.UTF_8);
		if (channel.equals(this.replies.channel())) {
			ReplyChannel.Reply reply = this.replies.received(body);
			if (reply != null) {
				this.pendingRecords.settled(reply.taskId());
				if (this.waiters.isAwaited(reply.taskId())) {
					this.replies.claim(reply.taskId());
					completeWith(reply.taskId(), reply.json());
				}
			}
			return;
		}
		if (mayBeReady(body)) {
			completeWithoutReply(channel.substring(KEY_PREFIX.length()), body);
		}
	}

	private boolean completeWith(String taskId, String json) {
		TaskResult result = readyResult(taskId, json);
		if (result != null) {
			this.waiters.complete(result);
			return true;
		}
		return false;
	}

	/**
	 * Complete the waiters of a task found ready on its own channel or by a read; a task this process
	 * sent whose reply has not come is one that a worker without replies ran. That is noted before the
	 * waiters hear of the result, so that a task they send next is already awaited accordingly.
	 */
	private void completeWithoutReply(String taskId, String json) {
		TaskResult result = readyResult(taskId, json);
		if (result != null) {
			this.replies.readyWithoutReply(taskId);
			this.waiters.complete(result);
		}
	}

	private @Nullable TaskResult readyResult(String taskId, String json) {
		TaskResult result = this.meta.decode(taskId, json);
		return (result != null && result.isReady()) ? result : null;
	}

	private void replyTick() {
		try {
			this.replies.tick(this.waiters::isAwaited, this::subscribe);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not fall back to task channels: " + ex.getMessage());
		}
	}

	/**
	 * Whether a published state may be a ready one: waiters only care about those, and most
	 * notifications (STARTED, progress) are not worth parsing. A ready state's JSON holds its status
	 * as a quoted string; a false positive only costs a parse.
	 */
	private static boolean mayBeReady(String json) {
		for (String status : QUOTED_READY_STATES) {
			if (json.contains(status)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The safety nets, run every few seconds, for notifications lost on a connection that broke
	 * without Redis or the client noticing (a noticed reconnect re-subscribes and re-reads the tasks
	 * awaited on their own channels; those awaiting a reply fall back to theirs within a tick):
	 * reload the revocations a worker holds, and re-read the results of tasks that were already
	 * awaited at the previous pass, so that a steady stream of short waits costs no reads.
	 */
	private void recheck() {
		this.revocations.refresh();
		try {
			Set<String> awaited = this.waiters.taskIds();
			List<String> stillAwaited = new ArrayList<>();
			for (String taskId : awaited) {
				if (this.previouslyAwaited.contains(taskId)) {
					stillAwaited.add(taskId);
				}
			}
			this.previouslyAwaited = awaited;
			for (int from = 0; from < stillAwaited.size(); from += READ_BATCH) {
				readReady(stillAwaited.subList(from, Math.min(stillAwaited.size(), from + READ_BATCH)));
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not re-read awaited results: " + ex.getMessage());
		}
	}

	/**
	 * Called with channels once they are subscribed (again, after a reconnect): (re)load the
	 * revocations when theirs is among them, and read the results of the others.
	 */
	private void subscribed(List<String> channels) {
		List<String> results = new ArrayList<>(channels.size());
		for (String channel : channels) {
			if (channel.equals(RedisRevocations.CHANNEL)) {
				this.revocations.load();
			}
			else if (!channel.equals(this.replies.channel())) {
				results.add(channel);
			}
		}
		readReady(results);
	}

	/**
	 * Read the results of awaited tasks (given as ids or as channel names) and complete the waiters
	 * of those that are ready.
	 */
	private void readReady(List<String> idsOrChannels) {
		if (idsOrChannels.isEmpty()) {
			return;
		}
		List<String> ids = idsOrChannels.stream()
			.map((name) -> name.startsWith(KEY_PREFIX) ? name.substring(KEY_PREFIX.length()) : name)
			.toList();
		List<String> values = this.redis.opsForValue().multiGet(ids.stream().map(RedisResultBackend::key).toList());
		for (int i = 0; values != null && i < ids.size(); i++) {
			String value = values.get(i);
			if (value != null && mayBeReady(value)) {
				completeWithoutReply(ids.get(i), value);
			}
		}
	}

	/**
	 * Subscribe to a task's own channel, once, and only while it is awaited. Whether it is awaited is
	 * looked at inside the map's atomic update of the task, and requests are queued there too, so they
	 * reach the subscriber in the order of the updates and a waiter registering meanwhile is never
	 * left without the subscription.
	 */
	private void subscribe(String taskId) {
		this.subscribed.compute(taskId, (id, present) -> {
			if (!this.waiters.isAwaited(id)) {
				if (present != null) {
					this.resultSubscriber.unsubscribe(key(id));
				}
				return null;
			}
			if (present == null) {
				this.resultSubscriber.subscribe(key(id));
			}
			return Boolean.TRUE;
		});
	}

	/**
	 * Unsubscribe from a task's own channel once its last waiter is gone (unless a new one came).
	 */
	private void unsubscribe(String taskId) {
		this.subscribed.computeIfPresent(taskId, (id, present) -> {
			if (this.waiters.isAwaited(id)) {
				return present;
			}
			this.resultSubscriber.unsubscribe(key(id));
			return null;
		});
	}

	private static String key(String taskId) {
		return KEY_PREFIX + taskId;
	}

	private record EncodedState(String key, String json, String status, String replyChannel) {
	}

}
