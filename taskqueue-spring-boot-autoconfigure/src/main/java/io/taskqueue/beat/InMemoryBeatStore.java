package io.taskqueue.beat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A {@link BeatStore} for one JVM: the default without Redis. Several beat instances in one process
 * still fire each tick once; across processes, use Redis.
 */
public class InMemoryBeatStore implements BeatStore {

	private final Map<String, Instant> lastRuns = new ConcurrentHashMap<>();

	private final Map<String, String> ticks = new ConcurrentHashMap<>();

	private final Clock clock;

	private @Nullable String leader;

	private Instant leaseEnd = Instant.MIN;

	/**
	 * Create a store.
	 * @param clock the clock leases are measured with
	 */
	public InMemoryBeatStore(Clock clock) {
		this.clock = clock;
	}

	@Override
	public synchronized boolean lead(String instance, Duration lease) {
		Instant now = this.clock.instant();
		if (this.leader == null || this.leader.equals(instance) || !now.isBefore(this.leaseEnd)) {
			this.leader = instance;
			this.leaseEnd = now.plus(lease);
			return true;
		}
		return false;
	}

	@Override
	public synchronized void resign(String instance) {
		if (instance.equals(this.leader)) {
			this.leader = null;
		}
	}

	@Override
	public Claim claim(String entry, Instant tick, String instance, Duration claimLease) {
		String key = entry + "@" + tick;
		String previous = this.ticks.putIfAbsent(key, "claimed:" + instance);
		if (previous == null || previous.equals("claimed:" + instance)) {
			return Claim.CLAIMED;
		}
		return previous.equals("sent") ? Claim.SENT : Claim.HELD;
	}

	@Override
	public void markSent(String entry, Instant tick, Duration retention) {
		this.ticks.put(entry + "@" + tick, "sent");
		Instant horizon = this.clock.instant().minus(retention);
		this.ticks.keySet().removeIf((key) -> Instant.parse(key.substring(key.lastIndexOf('@') + 1)).isBefore(horizon));
	}

	@Override
	public @Nullable Instant lastRun(String entry) {
		return this.lastRuns.get(entry);
	}

	@Override
	public void recordRun(String entry, Instant tick) {
		this.lastRuns.merge(entry, tick, (current, candidate) -> candidate.isAfter(current) ? candidate : current);
	}

}
