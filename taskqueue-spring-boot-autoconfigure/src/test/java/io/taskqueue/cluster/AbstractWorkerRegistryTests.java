package io.taskqueue.cluster;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract every {@link WorkerRegistry} keeps; run against each implementation.
 */
public abstract class AbstractWorkerRegistryTests {

	private WorkerRegistry registry;

	protected abstract WorkerRegistry createRegistry();

	@BeforeEach
	void create() {
		this.registry = createRegistry();
	}

	@Test
	void aHeartbeatListsTheWorkerWithWhatItReported() {
		WorkerInfo worker = worker("java1@a", 3);
		this.registry.heartbeat(worker, Duration.ofMinutes(1));
		assertThat(this.registry.workers()).containsExactly(worker);
	}

	@Test
	void workersAreListedByIdAndALaterHeartbeatReplacesTheEarlier() {
		this.registry.heartbeat(worker("java2@b", 1), Duration.ofMinutes(1));
		this.registry.heartbeat(worker("java1@a", 1), Duration.ofMinutes(1));
		this.registry.heartbeat(worker("java2@b", 5), Duration.ofMinutes(1));
		List<WorkerInfo> workers = this.registry.workers();
		assertThat(workers).extracting(WorkerInfo::id).containsExactly("java1@a", "java2@b");
		assertThat(workers.get(1).active()).isEqualTo(5);
	}

	@Test
	void aWorkerThatStopsBeatingDropsOutAfterItsTimeToLive() {
		this.registry.heartbeat(worker("java1@a", 0), Duration.ofMillis(300));
		this.registry.heartbeat(worker("java2@b", 0), Duration.ofMinutes(1));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.registry.workers()).extracting(WorkerInfo::id)
				.containsExactly("java2@b"));
	}

	@Test
	void removeWithdrawsAWorkerAtOnce() {
		this.registry.heartbeat(worker("java1@a", 0), Duration.ofMinutes(1));
		this.registry.remove("java1@a");
		this.registry.remove("never-there");
		assertThat(this.registry.workers()).isEmpty();
	}

	private static WorkerInfo worker(String id, int active) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		return new WorkerInfo(id, "host-" + id, 4242, List.of("celery", "emails"), 8, active, 17, List.of("emails"),
				now.minusSeconds(60), now);
	}

}
