package io.taskqueue.result.inmemory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskqueue.core.TaskState;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.ResultWaiters;
import io.taskqueue.result.TaskResult;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link ResultBackend} inside this JVM: the embedded default. Results expire after the configured
 * time to live; waiters are completed the moment a ready state is stored.
 *
 * <p>Values are stored as plain JSON values (copied through the mapper), exactly as a remote backend
 * would return them, so that callers see the same types whichever backend is configured.
 */
public class InMemoryResultBackend implements ResultBackend {

	private static final org.apache.commons.logging.Log logger = org.apache.commons.logging.LogFactory
		.getLog(InMemoryResultBackend.class);

	private static final int SWEEP_EVERY = 1024;

	private final Map<String, Stored> results = new ConcurrentHashMap<>();

	private final ResultWaiters waiters = new ResultWaiters();

	private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

	private final Map<String, ChordState> chords = new ConcurrentHashMap<>();

	private final List<Consumer<String>> terminationListeners = new CopyOnWriteArrayList<>();

	private final AtomicInteger writes = new AtomicInteger();

	private final JsonMapper mapper;

	private final Duration timeToLive;

	private final Clock clock;

	/**
	 * Create a backend.
	 * @param mapper the mapper used to copy values into plain JSON form
	 * @param timeToLive how long a result is kept after its last write
	 * @param clock the clock expiry is measured with
	 */
	public InMemoryResultBackend(JsonMapper mapper, Duration timeToLive, Clock clock) {
		this.mapper = mapper;
		this.timeToLive = timeToLive;
		this.clock = clock;
	}

	/** Results live in this process only. */
	@Override
	public boolean isShared() {
		return false;
	}

	@Override
	public void store(TaskResult result) {
		Instant now = this.clock.instant();
		TaskResult copy = plain(result);
		boolean[] written = { false };
		this.results.compute(result.taskId(), (id, existing) -> {
			TaskResult current = (existing != null && !existing.isExpired(now)) ? existing.result : null;
			if (current != null && (current.state() == TaskState.SUCCESS || copy.state() == TaskState.PENDING)) {
				return existing;
			}
			written[0] = true;
			return new Stored(copy, now.plus(this.timeToLive));
		});
		if (written[0] && copy.isReady()) {
			this.waiters.complete(copy);
		}
		if (this.writes.incrementAndGet() % SWEEP_EVERY == 0) {
			this.results.values().removeIf((stored) -> stored.isExpired(now));
		}
	}

	@Override
	public @Nullable TaskResult get(String taskId) {
		Stored stored = this.results.get(taskId);
		if (stored == null) {
			return null;
		}
		if (stored.isExpired(this.clock.instant())) {
			this.results.remove(taskId, stored);
			return null;
		}
		return stored.result;
	}

	@Override
	public CompletableFuture<TaskResult> whenReady(String taskId) {
		return this.waiters.whenReady(taskId, this::get);
	}

	@Override
	public void forget(String taskId) {
		this.results.remove(taskId);
	}

	@Override
	public void startChord(String groupId, int size) {
		this.chords.put(groupId, new ChordState(size));
	}

	@Override
	public @Nullable List<TaskResult> completeChordMember(String groupId, @Nullable Integer groupIndex,
			TaskResult member) {
		ChordState chord = this.chords.get(groupId);
		if (chord == null) {
			logger.warn("Chord " + groupId + " is not known to this in-memory result backend (started in another"
					+ " process?); its callback cannot run here. Use a shared result backend for chords across processes.");
			return null;
		}
		synchronized (chord) {
			if (chord.completed || chord.members.containsKey(member.taskId())) {
				return null;
			}
			chord.members.put(member.taskId(), new ChordMember((groupIndex != null) ? groupIndex : Integer.MAX_VALUE,
					chord.members.size(), plain(member)));
			if (chord.members.size() < chord.size) {
				return null;
			}
			chord.completed = true;
			this.chords.remove(groupId);
			return chord.members.values().stream()
				.sorted(java.util.Comparator.comparingInt(ChordMember::index).thenComparingInt(ChordMember::arrival))
				.map(ChordMember::result)
				.toList();
		}
	}

	@Override
	public void revoke(String taskId, boolean terminate, Duration timeToLive) {
		this.revoked.put(taskId, this.clock.instant().plus(timeToLive));
		if (terminate) {
			this.terminationListeners.forEach((listener) -> listener.accept(taskId));
		}
	}

	@Override
	public boolean isRevoked(String taskId) {
		Instant until = this.revoked.get(taskId);
		if (until != null && !this.clock.instant().isBefore(until)) {
			this.revoked.remove(taskId, until);
			return false;
		}
		return until != null;
	}

	@Override
	public void addTerminationListener(Consumer<String> listener) {
		this.terminationListeners.add(listener);
	}

	/**
	 * Return how many task results are stored (expired ones may still be counted).
	 * @return the number of stored results
	 */
	public int size() {
		return this.results.size();
	}

	private TaskResult plain(TaskResult result) {
		if (result.result() == null || result.result() instanceof String || result.result() instanceof Number
				|| result.result() instanceof Boolean) {
			return result;
		}
		Object value = this.mapper.convertValue(result.result(), Object.class);
		return new TaskResult(result.taskId(), result.status(), value, result.error(), result.traceback(),
				result.dateDone(), result.taskName(), result.parentId(), result.groupId());
	}

	private static final class ChordState {

		private final int size;

		private final Map<String, ChordMember> members = new java.util.LinkedHashMap<>();

		private boolean completed;

		ChordState(int size) {
			this.size = size;
		}

	}

	private record ChordMember(int index, int arrival, TaskResult result) {
	}

	private record Stored(TaskResult result, Instant expiresAt) {

		boolean isExpired(Instant now) {
			return !now.isBefore(this.expiresAt);
		}

	}

}
