package io.taskqueue.broker.redis;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.taskqueue.broker.BrokerCapabilities;
import io.taskqueue.broker.BrokerException;
import io.taskqueue.broker.DeadLetter;
import io.taskqueue.broker.Delivery;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.QueueStats;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.protocol.TaskMessage;
import io.taskqueue.support.CombiningWriter;
import io.taskqueue.support.redis.LuaScripts;
import io.taskqueue.support.redis.RedisConnections;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisListCommands.Direction;
import org.springframework.data.redis.connection.zset.Tuple;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A {@link TaskBroker} on Redis, wire-compatible with kombu's Redis transport (Celery's default),
 * so Python Celery producers and workers can share its queues.
 *
 * <p>Stronger than kombu where kombu loses or duplicates work:
 * <ul>
 * <li>taking a message and recording it as unacked is one atomic script, and an idle consumer waits
 * with a non-consuming {@code BLMOVE q q RIGHT RIGHT}, so a consumer killed at any instant never
 * holds a message that is not recorded;</li>
 * <li>live consumers renew the {@code unacked_index} score of what they run, so a long task is never
 * restored to another worker, while a dead consumer's messages return after the visibility timeout;</li>
 * <li>delayed messages wait in a sorted set by due time, not in worker memory or {@code unacked}, and are
 * moved to their queue atomically when due.</li>
 * </ul>
 */
public class RedisTaskBroker implements TaskBroker, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisTaskBroker.class);

	private static final BrokerCapabilities CAPABILITIES = new BrokerCapabilities(true, true, true, 9, true);

	private static final int RESTORE_BATCH = 1000;

	private static final int MAX_BATCH = 256;

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final RedisBrokerKeys keys;

	private final KombuEnvelope envelopes;

	private final JsonMapper mapper;

	private final Duration visibilityTimeout;

	private final Clock clock;

	private final RedisScript<List> popScript = script("pop.lua", List.class);

	private final RedisScript<Long> ackScript = script("ack.lua", Long.class);

	private final RedisScript<Long> requeueScript = script("requeue.lua", Long.class);

	private final RedisScript<Long> deadLetterScript = script("dead-letter.lua", Long.class);

	private final RedisScript<Long> restoreScript = script("restore.lua", Long.class);

	private final RedisScript<Long> requeueDeadScript = script("requeue-dead.lua", Long.class);

	private final RedisScript<List> delayedQueuesScript = script("delayed-queues.lua", List.class);

	private final ThreadLocal<RedisConnection> waitConnection = new ThreadLocal<>();

	private final Set<RedisConnection> waitConnections = ConcurrentHashMap.newKeySet();

	private final Map<String, AtomicLong> lastRenewals = new ConcurrentHashMap<>();

	private final DelayedMessagePromoter promoter;

	private volatile boolean discovered;

	private final AtomicLong nextRestore = new AtomicLong();

	private final CombiningWriter<Prepared, @Nullable Void> publications = new CombiningWriter<>(this::write, MAX_BATCH);

	/** Messages published without waiting: a thread of the broker's writes them, many per round trip. */
	private final CombiningWriter<Prepared, @Nullable Void> handedOver = CombiningWriter
		.withOwnFlusher("taskqueue-publish-", this::write, MAX_BATCH, (ex) -> {
		});

	private final CombiningWriter<String, @Nullable Void> acks = CombiningWriter.withOwnFlusher("taskqueue-acks-",
			this::ackAll, MAX_BATCH, (ex) -> logger.warn("Could not acknowledge finished tasks; their messages are"
					+ " redelivered after the visibility timeout, and workers find them done: " + ex.getMessage()));

	/**
	 * Create a broker.
	 * @param connectionFactory the application's Redis connections
	 * @param mapper the JSON mapper for envelopes
	 * @param keyPrefix a prefix for every key (kombu's {@code global_keyprefix}), may be empty
	 * @param visibilityTimeout how long an unacked message whose consumer stopped renewing it waits
	 * before it is given to another consumer
	 * @param clock the clock for due times and leases
	 */
	public RedisTaskBroker(RedisConnectionFactory connectionFactory, JsonMapper mapper, String keyPrefix,
			Duration visibilityTimeout, Clock clock) {
		this.connectionFactory = connectionFactory;
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keys = new RedisBrokerKeys(keyPrefix);
		this.mapper = mapper;
		this.envelopes = new KombuEnvelope(mapper);
		this.visibilityTimeout = visibilityTimeout;
		this.clock = clock;
		this.promoter = new DelayedMessagePromoter(this::promoteDue, clock);
	}

	@Override
	public BrokerCapabilities capabilities() {
		return CAPABILITIES;
	}

	@Override
	public void declareQueue(String queue) {
		call("declare queue '" + queue + "'", () -> this.redis.opsForSet()
			.add(this.keys.binding(queue), RedisBrokerKeys.bindingMember(queue)));
		discoverDelayedQueues();
	}

	/**
	 * Watch every queue that has delayed messages in Redis, not only those this process delayed, so
	 * that any running taskqueue process moves them to their queue when due. Producers register each
	 * queue they delay messages for, so this reads that registry; only the first process to start
	 * against a Redis that has no registry yet searches the keyspace (once, for delayed sets written
	 * before the registry existed), which on a large keyspace takes thousands of round trips.
	 */
	private void discoverDelayedQueues() {
		if (this.discovered) {
			return;
		}
		this.discovered = true;
		try {
			if (!Boolean.TRUE.equals(this.redis.hasKey(this.keys.delayedQueuesScanned()))) {
				registerDelayedSetsInKeyspace();
			}
			List<?> live = this.redis.execute(this.delayedQueuesScript, List.of(this.keys.delayedQueues()),
					this.keys.delayed(""));
			if (live != null) {
				live.forEach((queue) -> this.promoter.watch(queue.toString()));
			}
		}
		catch (RuntimeException ex) {
			this.discovered = false;
			logger.debug("Could not look for delayed messages: " + ex.getMessage());
		}
	}

	private void registerDelayedSetsInKeyspace() {
		String pattern = this.keys.delayed("*");
		String prefix = pattern.substring(0, pattern.length() - 1);
		try (var cursor = this.redis.scan(org.springframework.data.redis.core.ScanOptions.scanOptions()
			.match(pattern)
			.count(1000)
			.build())) {
			cursor.forEachRemaining(
					(key) -> this.redis.opsForSet().add(this.keys.delayedQueues(), key.substring(prefix.length())));
		}
		this.redis.opsForValue().set(this.keys.delayedQueuesScanned(), "1");
	}

	/**
	 * Publish a message; concurrent callers' messages go out together, as one {@code LPUSH} per list.
	 * Each caller encodes its own envelope, so a message that cannot be written fails alone.
	 */
	@Override
	public void publish(OutboundMessage message) {
		this.publications.submit(prepare(message, this.clock.millis()));
	}

	/**
	 * Hand a message to the broker's publishing thread and return at once, so the caller never waits
	 * for Redis (nor for a reconnect while it is down); the future completes once the message is
	 * written. Messages handed over while a write is in progress go out together next. A message
	 * that cannot be encoded fails the future at once.
	 */
	@Override
	public CompletableFuture<Void> publishAsync(OutboundMessage message) {
		Prepared prepared;
		try {
			prepared = prepare(message, this.clock.millis());
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.handedOver.handOver(prepared);
	}

	@Override
	public void publishAll(List<OutboundMessage> messages) {
		long now = this.clock.millis();
		List<Prepared> prepared = new ArrayList<>(messages.size());
		for (OutboundMessage message : messages) {
			prepared.add(prepare(message, now));
		}
		write(prepared);
	}

	private Prepared prepare(OutboundMessage message, long now) {
		String envelope = this.envelopes.encode(message.message(), message.queue());
		int step = RedisBrokerKeys.stepIndex(message.message().properties().priority());
		Instant deliverAt = message.deliverAt();
		if (deliverAt != null && deliverAt.toEpochMilli() > now) {
			this.promoter.watch(message.queue());
			return new Prepared(message.queue(), this.keys.delayed(message.queue()), bytes(step + "|" + envelope),
					(double) deliverAt.toEpochMilli());
		}
		return new Prepared(message.queue(), this.keys.lists(message.queue()).get(step), bytes(envelope), null);
	}

	/**
	 * Write prepared messages: one {@code LPUSH} per list and one {@code ZADD} per delayed set, on the
	 * shared connection (pipelining through Spring Data would take a dedicated connection, a new TCP
	 * connection without a pool, per call).
	 */
	private List<@Nullable Void> write(List<Prepared> messages) {
		Map<String, List<byte[]>> ready = new LinkedHashMap<>();
		Map<String, Set<Tuple>> delayed = new LinkedHashMap<>();
		Set<String> delayedQueues = new LinkedHashSet<>();
		for (Prepared message : messages) {
			if (message.dueAt() != null) {
				delayed.computeIfAbsent(message.key(), (key) -> new LinkedHashSet<>())
					.add(Tuple.of(message.payload(), message.dueAt()));
				delayedQueues.add(message.queue());
			}
			else {
				ready.computeIfAbsent(message.key(), (key) -> new ArrayList<>()).add(message.payload());
			}
		}
		call("publish " + messages.size() + " message(s)", () -> this.redis.execute((RedisCallback<Object>) (connection) -> {
			ready.forEach((list, envelopes) -> connection.listCommands().lPush(bytes(list), envelopes.toArray(byte[][]::new)));
			delayed.forEach((set, tuples) -> connection.zSetCommands().zAdd(bytes(set), tuples));
			if (!delayedQueues.isEmpty()) {
				connection.setCommands()
					.sAdd(bytes(this.keys.delayedQueues()), delayedQueues.stream().map(RedisTaskBroker::bytes)
						.toArray(byte[][]::new));
			}
			return null;
		}));
		return Collections.nCopies(messages.size(), null);
	}

	/** Move the queue's due delayed messages to it; failures wait for the next attempt. */
	private void promoteDue(String queue) {
		try {
			pop(queue, 0, List.of());
		}
		catch (RuntimeException ex) {
			logger.debug("Could not promote due messages of '" + queue + "': " + ex.getMessage());
		}
	}

	@Override
	public List<Delivery> poll(String queue, int max, Duration timeout) throws InterruptedException {
		maybeRestore();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Popped popped = this.acks.writeAlong((settled) -> pop(queue, max, settled), null);
			if (!popped.deliveries().isEmpty()) {
				return popped.deliveries();
			}
			long waitMillis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
			if (waitMillis <= 0) {
				return List.of();
			}
			if (popped.nextDue() != null) {
				this.promoter.wakeAt(queue, popped.nextDue());
				waitMillis = Math.min(waitMillis, Math.max(10, popped.nextDue() - this.clock.millis()));
			}
			awaitMessage(queue, waitMillis);
		}
	}

	/**
	 * Take up to {@code max} messages, first settling the given delivery tags in the same script call
	 * (acknowledgements that would otherwise cost a round trip of their own).
	 */
	private Popped pop(String queue, int max, List<String> settled) {
		List<String> scriptKeys = new ArrayList<>();
		scriptKeys.add(this.keys.unacked());
		scriptKeys.add(this.keys.unackedIndex());
		scriptKeys.add(this.keys.deliveries());
		scriptKeys.add(this.keys.delayed(queue));
		scriptKeys.addAll(this.keys.lists(queue));
		long now = this.clock.millis();
		Object[] args = new Object[4 + settled.size()];
		args[0] = Integer.toString(max);
		args[1] = Long.toString(leaseScore(now));
		args[2] = Long.toString(now);
		args[3] = queue;
		for (int i = 0; i < settled.size(); i++) {
			args[4 + i] = settled.get(i);
		}
		List<?> result = call("consume from '" + queue + "'",
				() -> this.redis.execute(this.popScript, scriptKeys, args));
		List<Delivery> deliveries = new ArrayList<>((result.size() - 1) / 3);
		for (int i = 0; i + 2 < result.size(); i += 3) {
			String tag = (String) result.get(i);
			String raw = (String) result.get(i + 1);
			int count = ((Number) result.get(i + 2)).intValue();
			KombuEnvelope.Decoded decoded = this.envelopes.decode(raw);
			int step = RedisBrokerKeys.stepIndex(decoded.message().properties().priority());
			deliveries.add(new Delivery(queue, decoded.message(), decoded.redelivered() || count > 1, count,
					new RedisTag(tag, raw, step)));
		}
		String nextDue = (String) result.get(result.size() - 1);
		return new Popped(deliveries, nextDue.isEmpty() ? null : (long) Double.parseDouble(nextDue));
	}

	private void awaitMessage(String queue, long waitMillis) throws InterruptedException {
		byte[] list = bytes(this.keys.lists(queue).get(0));
		RedisConnection connection = waitConnection();
		try {
			connection.listCommands().bLMove(list, list, Direction.RIGHT, Direction.RIGHT, waitMillis / 1000.0);
		}
		catch (RuntimeException ex) {
			discardWaitConnection(connection);
			if (Thread.currentThread().isInterrupted()) {
				throw new InterruptedException("Interrupted while waiting on queue '" + queue + "'");
			}
			throw new BrokerException("Redis broker: cannot wait on queue '" + queue + "': " + ex.getMessage(), ex);
		}
		if (Thread.interrupted()) {
			throw new InterruptedException("Interrupted while waiting on queue '" + queue + "'");
		}
	}

	/**
	 * Acknowledge a delivery; concurrent callers' acknowledgements go out as one script call, and each
	 * caller returns once its own is done.
	 */
	@Override
	public void ack(Delivery delivery) {
		this.acks.submit(tag(delivery).tag());
	}

	/**
	 * Acknowledge without waiting: the acknowledgement goes out with the next consume call, or on its
	 * own within about a millisecond, so a finished task's thread and slot are free at once and a
	 * round trip carries the acknowledgements of every task that finished meanwhile.
	 */
	@Override
	public void ackLater(Delivery delivery) {
		this.acks.submitLater(tag(delivery).tag());
	}

	@Override
	public void flush() {
		this.acks.drain();
	}

	private List<@Nullable Void> ackAll(List<String> tags) {
		call("acknowledge", () -> this.redis.execute(this.ackScript,
				List.of(this.keys.unacked(), this.keys.unackedIndex(), this.keys.deliveries()), tags.toArray()));
		return Collections.nCopies(tags.size(), null);
	}

	@Override
	public void reject(Delivery delivery, boolean requeue) {
		if (!requeue) {
			ack(delivery);
			return;
		}
		RedisTag tag = tag(delivery);
		String list = this.keys.lists(delivery.queue()).get(tag.step());
		call("requeue", () -> this.redis.execute(this.requeueScript,
				List.of(this.keys.unacked(), this.keys.unackedIndex(), list), tag.tag(),
				this.envelopes.markRedelivered(tag.envelope())));
	}

	@Override
	public void deadLetter(Delivery delivery, String reason) {
		RedisTag tag = tag(delivery);
		Map<String, Object> record = new LinkedHashMap<>();
		record.put("queue", delivery.queue());
		record.put("reason", reason);
		record.put("timestamp", this.clock.instant().toString());
		record.put("envelope", tag.envelope());
		call("dead-letter", () -> this.redis.execute(this.deadLetterScript,
				List.of(this.keys.unacked(), this.keys.unackedIndex(), this.keys.deliveries(),
						this.keys.deadLetters(delivery.queue())),
				tag.tag(), this.mapper.writeValueAsString(record)));
	}

	@Override
	public void renewLeases(Collection<Delivery> deliveries) {
		if (deliveries.isEmpty()) {
			return;
		}
		long now = this.clock.millis();
		AtomicLong lastRenewal = this.lastRenewals.computeIfAbsent(deliveries.iterator().next().queue(),
				(queue) -> new AtomicLong());
		long last = lastRenewal.get();
		if (now - last < renewalInterval().toMillis() || !lastRenewal.compareAndSet(last, now)) {
			return;
		}
		byte[] index = bytes(this.keys.unackedIndex());
		double score = leaseScore(now);
		Set<Tuple> leases = new LinkedHashSet<>();
		for (Delivery delivery : deliveries) {
			leases.add(Tuple.of(bytes(tag(delivery).tag()), score));
		}
		call("renew leases", () -> this.redis.execute((RedisCallback<Object>) (connection) -> connection.zSetCommands()
			.zAdd(index, leases, org.springframework.data.redis.connection.RedisZSetCommands.ZAddArgs.empty().ifExists())));
	}

	/**
	 * Return how often in-flight deliveries are renewed: a quarter of the visibility timeout.
	 * @return the renewal interval
	 */
	public Duration renewalInterval() {
		return this.visibilityTimeout.dividedBy(4);
	}

	/**
	 * Return messages whose lease expired (their consumer died) to their queues now.
	 * @return how many messages were restored
	 */
	public long restoreExpired() {
		long cutoff = this.clock.millis() - this.visibilityTimeout.toMillis();
		Long restored = call("restore unacked messages", () -> this.redis.execute(this.restoreScript,
				List.of(this.keys.unacked(), this.keys.unackedIndex(), this.keys.deliveries()), seconds(cutoff),
				Integer.toString(RESTORE_BATCH), this.keys.prefix(), RedisBrokerKeys.SEPARATOR));
		if (restored != null && restored > 0) {
			logger.warn("Restored " + restored + " message(s) whose consumer stopped renewing them for "
					+ this.visibilityTimeout + " (a worker died or was cut off)");
		}
		return (restored != null) ? restored : 0;
	}

	private void maybeRestore() {
		long now = this.clock.millis();
		long next = this.nextRestore.get();
		if (now >= next && this.nextRestore.compareAndSet(next, now + restoreInterval().toMillis())) {
			restoreExpired();
		}
	}

	private Duration restoreInterval() {
		Duration half = this.visibilityTimeout.dividedBy(2);
		return (half.compareTo(Duration.ofSeconds(1)) < 0) ? Duration.ofSeconds(1) : half;
	}

	@Override
	public QueueStats stats(String queue) {
		List<String> lists = this.keys.lists(queue);
		List<Object> replies = call("read statistics of '" + queue + "'",
				() -> this.redis.execute((RedisCallback<List<Object>>) (connection) -> {
					List<Object> values = new ArrayList<>();
					for (String list : lists) {
						values.add(connection.listCommands().lLen(bytes(list)));
						values.add(connection.listCommands().lIndex(bytes(list), -1));
					}
					values.add(connection.zSetCommands().zCard(bytes(this.keys.delayed(queue))));
					values.add(connection.listCommands().lLen(bytes(this.keys.deadLetters(queue))));
					return values;
				}));
		long ready = 0;
		Instant oldest = null;
		for (int i = 0; i < lists.size(); i++) {
			ready += ((Number) replies.get(2 * i)).longValue();
			Instant sentAt = sentAt(replies.get(2 * i + 1));
			if (sentAt != null && (oldest == null || sentAt.isBefore(oldest))) {
				oldest = sentAt;
			}
		}
		Duration age = (oldest != null) ? Duration.between(oldest, this.clock.instant()) : null;
		return new QueueStats(queue, ready, ((Number) replies.get(2 * lists.size())).longValue(), -1,
				((Number) replies.get(2 * lists.size() + 1)).longValue(),
				(age != null && age.isNegative()) ? Duration.ZERO : age);
	}

	/**
	 * The publication time a taskqueue producer stamped on a message (the oldest of a list is at its
	 * tail, the end consumers pop from).
	 */
	private @Nullable Instant sentAt(@Nullable Object tail) {
		if (tail == null) {
			return null;
		}
		String raw = (tail instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : tail.toString();
		return TaskMessage.sentAt(this.envelopes.decode(raw).message().headers());
	}

	@Override
	public long purge(String queue) {
		QueueStats stats = stats(queue);
		List<String> doomed = new ArrayList<>(this.keys.lists(queue));
		doomed.add(this.keys.delayed(queue));
		call("purge '" + queue + "'", () -> this.redis.delete(doomed));
		return stats.ready() + stats.delayed();
	}

	@Override
	@SuppressWarnings("unchecked")
	public List<DeadLetter> deadLetters(String queue, int limit) {
		List<DeadLetter> letters = new ArrayList<>();
		for (String record : deadLetterRecords(queue, limit)) {
			Map<String, Object> fields = this.mapper.readValue(record, Map.class);
			String envelope = String.valueOf(fields.get("envelope"));
			letters.add(new DeadLetter(queue, this.envelopes.decode(envelope).message(),
					String.valueOf(fields.get("reason")), Instant.parse(String.valueOf(fields.get("timestamp")))));
		}
		return letters;
	}

	@Override
	@SuppressWarnings("unchecked")
	public boolean requeueDeadLetter(String queue, String taskId) {
		for (String record : deadLetterRecords(queue, Integer.MAX_VALUE)) {
			Map<String, Object> fields = this.mapper.readValue(record, Map.class);
			String envelope = String.valueOf(fields.get("envelope"));
			KombuEnvelope.Decoded decoded = this.envelopes.decode(envelope);
			if (taskId.equals(decoded.message().taskId())) {
				String list = this.keys.lists(queue).get(RedisBrokerKeys.stepIndex(decoded.message().properties().priority()));
				Long moved = call("requeue a dead letter", () -> this.redis.execute(this.requeueDeadScript,
						List.of(this.keys.deadLetters(queue), list), record, envelope));
				return moved != null && moved == 1;
			}
		}
		return false;
	}

	private List<String> deadLetterRecords(String queue, int limit) {
		long end = (limit == Integer.MAX_VALUE) ? -1 : limit - 1;
		List<String> records = call("read dead letters", () -> this.redis.opsForList()
			.range(this.keys.deadLetters(queue), 0, end));
		return (records != null) ? records : List.of();
	}

	@Override
	public void destroy() {
		this.handedOver.close();
		this.acks.close();
		this.promoter.close();
		for (RedisConnection connection : this.waitConnections) {
			RedisConnections.closeQuietly(this.connectionFactory, connection);
		}
		this.waitConnections.clear();
	}

	private RedisConnection waitConnection() {
		RedisConnection connection = this.waitConnection.get();
		if (connection == null || connection.isClosed()) {
			connection = call("connect", this.connectionFactory::getConnection);
			this.waitConnection.set(connection);
			this.waitConnections.add(connection);
		}
		return connection;
	}

	private void discardWaitConnection(RedisConnection connection) {
		this.waitConnection.remove();
		this.waitConnections.remove(connection);
		RedisConnections.closeQuietly(this.connectionFactory, connection);
	}

	private static RedisTag tag(Delivery delivery) {
		if (!(delivery.tag() instanceof RedisTag tag)) {
			throw new IllegalArgumentException("Not a delivery of this broker: " + delivery);
		}
		return tag;
	}

	private static <T> T call(String what, Supplier<T> action) {
		try {
			return action.get();
		}
		catch (DataAccessException ex) {
			throw new BrokerException("Redis broker: cannot " + what + ": " + ex.getMostSpecificCause().getMessage(),
					ex);
		}
	}

	/**
	 * The score of a lease taken or renewed now in {@code unacked_index}: whole seconds, rounded up, so
	 * that a lease only ever looks younger than it is (at most one second). Redis keeps a small sorted
	 * set as a list of score texts and parses every score it passes on each insert; whole numbers are
	 * stored as integers and cost nothing to read. kombu writes fractional seconds there, which
	 * compare with these as they should.
	 */
	private static long leaseScore(long millis) {
		return Math.floorDiv(millis + 999, 1000);
	}

	private static String seconds(long millis) {
		return BigDecimal.valueOf(millis, 3).toPlainString();
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static <T> RedisScript<T> script(String name, Class<T> type) {
		return LuaScripts.load(RedisTaskBroker.class, name, type);
	}

	private record Popped(List<Delivery> deliveries, @Nullable Long nextDue) {
	}

	private record RedisTag(String tag, String envelope, int step) {
	}

	/** An encoded message and where it goes: a list, or a delayed set when {@code dueAt} is set. */
	private record Prepared(String queue, String key, byte[] payload, @Nullable Double dueAt) {
	}

}
