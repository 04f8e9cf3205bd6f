package io.taskqueue.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link WorkerRegistry} inside this JVM: it lists this process's own worker only. Used with
 * the in-memory broker, and with RabbitMQ when no Redis is configured.
 */
public class InMemoryWorkerRegistry implements WorkerRegistry {

	private final Map<String, Entry> workers = new ConcurrentHashMap<>();

	private final Clock clock;

	/**
	 * Create a registry.
	 * @param clock the clock time to live is measured with
	 */
	public InMemoryWorkerRegistry(Clock clock) {
		this.clock = clock;
	}

	@Override
	public void heartbeat(WorkerInfo worker, Duration timeToLive) {
		this.workers.put(worker.id(), new Entry(worker, this.clock.instant().plus(timeToLive)));
	}

	@Override
	public void remove(String workerId) {
		this.workers.remove(workerId);
	}

	@Override
	public List<WorkerInfo> workers() {
		Instant now = this.clock.instant();
		this.workers.values().removeIf((entry) -> !entry.expires.isAfter(now));
		return this.workers.values()
			.stream()
			.map(Entry::worker)
			.sorted(Comparator.comparing(WorkerInfo::id))
			.toList();
	}

	private record Entry(WorkerInfo worker, Instant expires) {
	}

}
