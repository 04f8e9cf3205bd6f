package io.taskqueue.result;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.taskqueue.core.TaskState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link ResultBackend} keeps. Each implementation's test extends this class;
 * every test uses fresh task ids.
 */
public abstract class AbstractResultBackendTests {

	protected ResultBackend backend;

	protected abstract ResultBackend createBackend() throws Exception;

	/** Make stored results older than the backend's time to live (advance a clock, or wait). */
	protected abstract void expireStoredResults() throws Exception;

	@BeforeEach
	void setUpBackend() throws Exception {
		this.backend = createBackend();
	}

	@Test
	void unknownTaskHasNoResult() {
		assertThat(this.backend.get(id())).isNull();
	}

	@Test
	void storesAndReadsASuccessWithItsValueAsJson() {
		String id = id();
		Instant done = Instant.now().truncatedTo(ChronoUnit.MICROS);
		this.backend.store(TaskResult.success(id, "math.add", Map.of("sum", 5, "parts", List.of(2, 3)), done));
		TaskResult stored = this.backend.get(id);
		assertThat(stored.state()).isEqualTo(TaskState.SUCCESS);
		assertThat(stored.result()).isEqualTo(Map.of("sum", 5, "parts", List.of(2, 3)));
		assertThat(stored.dateDone()).isEqualTo(done);
	}

	@Test
	void aRecordedStartIsSeenAndNeverOvertakesTheOutcome() {
		String finished = id();
		this.backend.recordStarted(TaskResult.started(finished, "t", Map.of("pid", 1)));
		this.backend.store(TaskResult.success(finished, "t", 3, Instant.now()));
		assertThat(this.backend.get(finished).state()).isEqualTo(TaskState.SUCCESS);
		String running = id();
		this.backend.recordStarted(TaskResult.started(running, "t", Map.of("pid", 1)));
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(5))
			.until(() -> this.backend.get(running) != null && this.backend.get(running).state() == TaskState.STARTED);
	}

	@Test
	void storesAFailureWithTypeMessageModuleAndTraceback() {
		String id = id();
		TaskError error = TaskError.of(new IllegalStateException("bad state"));
		this.backend.store(TaskResult.failure(id, "t", error, "trace...", Instant.now()));
		TaskResult stored = this.backend.get(id);
		assertThat(stored.state()).isEqualTo(TaskState.FAILURE);
		assertThat(stored.error()).isEqualTo(new TaskError("IllegalStateException", "bad state", "java.lang"));
		assertThat(stored.traceback()).isEqualTo("trace...");
	}

	@Test
	void pendingIsRecordedOnlyWhereNothingIsStored() {
		String id = id();
		this.backend.store(TaskResult.pending(id, "t"));
		assertThat(this.backend.get(id).state()).isEqualTo(TaskState.PENDING);
		this.backend.store(TaskResult.started(id, "t", Map.of("pid", 1, "hostname", "w")));
		this.backend.store(TaskResult.pending(id, "t"));
		assertThat(this.backend.get(id).state()).isEqualTo(TaskState.STARTED);
	}

	@Test
	void aSuccessIsNeverOverwritten() {
		String id = id();
		this.backend.store(TaskResult.success(id, "t", 1, Instant.now()));
		this.backend.store(TaskResult.started(id, "t", Map.of("pid", 1)));
		this.backend.store(TaskResult.failure(id, "t", new TaskError("X", "late", null), null, Instant.now()));
		assertThat(this.backend.get(id).state()).isEqualTo(TaskState.SUCCESS);
		assertThat(this.backend.get(id).result()).isEqualTo(1);
	}

	@Test
	void whenReadyCompletesWhenAReadyStateIsStoredLater() throws Exception {
		String id = id();
		CompletableFuture<TaskResult> ready = this.backend.whenReady(id);
		this.backend.store(TaskResult.started(id, "t", Map.of("pid", 1)));
		assertThat(ready).isNotDone();
		this.backend.store(TaskResult.success(id, "t", "done", Instant.now()));
		assertThat(ready.get(5, TimeUnit.SECONDS).result()).isEqualTo("done");
	}

	@Test
	void whenReadyCompletesAtOnceForAnAlreadyReadyTask() throws Exception {
		String id = id();
		this.backend.store(TaskResult.failure(id, "t", new TaskError("E", "m", null), null, Instant.now()));
		assertThat(this.backend.whenReady(id).get(5, TimeUnit.SECONDS).state()).isEqualTo(TaskState.FAILURE);
	}

	@Test
	void cancelledWaitersDoNotStopLaterWaiters() throws Exception {
		String id = id();
		this.backend.whenReady(id).cancel(false);
		CompletableFuture<TaskResult> second = this.backend.whenReady(id);
		this.backend.store(TaskResult.success(id, "t", 2, Instant.now()));
		assertThat(second.get(5, TimeUnit.SECONDS).result()).isEqualTo(2);
	}

	@Test
	void forgetRemovesTheResult() {
		String id = id();
		this.backend.store(TaskResult.success(id, "t", 1, Instant.now()));
		this.backend.forget(id);
		assertThat(this.backend.get(id)).isNull();
	}

	@Test
	void resultsExpireAfterTheirTimeToLive() throws Exception {
		String id = id();
		this.backend.store(TaskResult.success(id, "t", 1, Instant.now()));
		expireStoredResults();
		assertThat(this.backend.get(id)).isNull();
	}

	@Test
	void lineageIsKept() {
		String id = id();
		this.backend.store(TaskResult.success(id, "t", 1, Instant.now()).withLineage("parent", "group"));
		assertThat(this.backend.get(id).parentId()).isEqualTo("parent");
		assertThat(this.backend.get(id).groupId()).isEqualTo("group");
	}

	@Test
	void aChordCompletesOnceWithItsMembersInOrderWhenItsLastMemberIsRecorded() {
		String group = id();
		this.backend.startChord(group, 2);
		TaskResult second = TaskResult.success(id(), "t", 2, Instant.now());
		TaskResult first = TaskResult.success(id(), "t", 1, Instant.now());
		assertThat(this.backend.completeChordMember(group, 1, second)).isNull();
		// a member that ran again after a redelivery is not counted twice
		assertThat(this.backend.completeChordMember(group, 1, second)).isNull();
		List<TaskResult> members = this.backend.completeChordMember(group, 0, first);
		assertThat(members).extracting(TaskResult::result).containsExactly(1, 2);
		assertThat(this.backend.completeChordMember(group, 0, first)).isNull();
	}

	@Test
	void revocationsAreRememberedAndTerminationsAnnounced() {
		String id = id();
		List<String> terminated = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.backend.addTerminationListener(terminated::add);
		assertThat(this.backend.isRevoked(id)).isFalse();
		this.backend.revoke(id, false, Duration.ofMinutes(5));
		assertThat(this.backend.isRevoked(id)).isTrue();
		String other = id();
		this.backend.revoke(other, true, Duration.ofMinutes(5));
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> terminated.contains(other));
		assertThat(terminated).doesNotContain(id);
	}

	protected static String id() {
		return "contract-" + UUID.randomUUID();
	}

	protected static Duration shortTimeToLive() {
		return Duration.ofSeconds(1);
	}

}
