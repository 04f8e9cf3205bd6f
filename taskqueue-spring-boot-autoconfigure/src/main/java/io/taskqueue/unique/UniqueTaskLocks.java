package io.taskqueue.unique;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Atomic claims on unique-task keys: which task currently holds a key. Shared by every producer
 * that must see the same claims (Redis for a cluster, in memory for one process).
 */
public interface UniqueTaskLocks {

	/**
	 * Claim a key for a task unless someone holds it.
	 * @param key the unique key
	 * @param taskId the claiming task
	 * @param holdFor how long the claim lasts at most
	 * @return {@code null} if the claim was made, otherwise the id of the task holding the key
	 */
	@Nullable String claim(String key, String taskId, Duration holdFor);

	/**
	 * Hand a key from one task to another, only if the first still holds it.
	 * @param key the unique key
	 * @param holderId the task expected to hold it
	 * @param taskId the task taking it over
	 * @param holdFor how long the new claim lasts at most
	 * @return whether the key was handed over
	 */
	boolean takeOver(String key, String holderId, String taskId, Duration holdFor);

	/**
	 * Give up a key, only if the task still holds it.
	 * @param key the unique key
	 * @param taskId the task giving it up
	 */
	void release(String key, String taskId);

}
