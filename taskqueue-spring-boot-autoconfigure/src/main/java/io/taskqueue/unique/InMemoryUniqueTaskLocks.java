package io.taskqueue.unique;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * {@link UniqueTaskLocks} held in this JVM: unique for this process's producers only.
 */
public class InMemoryUniqueTaskLocks implements UniqueTaskLocks {

	private final Map<String, Claim> claims = new ConcurrentHashMap<>();

	private final Clock clock;

	/**
	 * Create locks.
	 * @param clock the clock claims expire by
	 */
	public InMemoryUniqueTaskLocks(Clock clock) {
		this.clock = clock;
	}

	@Override
	public @Nullable String claim(String key, String taskId, Duration holdFor) {
		Instant now = this.clock.instant();
		Claim current = this.claims.compute(key,
				(k, held) -> (held == null || held.expired(now)) ? new Claim(taskId, now.plus(holdFor)) : held);
		return current.taskId().equals(taskId) ? null : current.taskId();
	}

	@Override
	public boolean takeOver(String key, String holderId, String taskId, Duration holdFor) {
		Instant now = this.clock.instant();
		Claim current = this.claims.computeIfPresent(key,
				(k, held) -> held.taskId().equals(holderId) ? new Claim(taskId, now.plus(holdFor)) : held);
		return current != null && current.taskId().equals(taskId);
	}

	@Override
	public void release(String key, String taskId) {
		this.claims.computeIfPresent(key, (k, held) -> held.taskId().equals(taskId) ? null : held);
	}

	private record Claim(String taskId, Instant expiresAt) {

		boolean expired(Instant now) {
			return !now.isBefore(this.expiresAt);
		}

	}

}
