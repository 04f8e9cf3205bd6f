package io.taskqueue.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.taskqueue.result.ResultBackend;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The results of a group's members, in member order.
 */
public class GroupResult extends AsyncResult {

	private final List<AsyncResult> results;

	/**
	 * Create a handle.
	 * @param groupId the group id
	 * @param results the members' results, in member order
	 * @param backend the result backend
	 * @param mapper the mapper for conversions
	 */
	public GroupResult(String groupId, List<AsyncResult> results, ResultBackend backend, JsonMapper mapper) {
		super(groupId, backend, mapper);
		this.results = List.copyOf(results);
	}

	/** @return the members' results, in member order */
	public List<AsyncResult> results() {
		return this.results;
	}

	/** @return how many members finished successfully */
	public int completedCount() {
		return (int) this.results.stream().filter(AsyncResult::successful).count();
	}

	/** @return whether every member finished */
	@Override
	public boolean ready() {
		return this.results.stream().allMatch(AsyncResult::ready);
	}

	/** @return whether every member succeeded */
	@Override
	public boolean successful() {
		return this.results.stream().allMatch(AsyncResult::successful);
	}

	/** @return whether any member failed or was revoked */
	@Override
	public boolean failed() {
		return this.results.stream().anyMatch(AsyncResult::failed);
	}

	/** @return SUCCESS when all succeeded, FAILURE when any failed, PENDING otherwise */
	@Override
	public TaskState state() {
		return failed() ? TaskState.FAILURE : successful() ? TaskState.SUCCESS : TaskState.PENDING;
	}

	/**
	 * Wait for every member and return their results in member order; the first failure is thrown.
	 * @param timeout how long to wait in all
	 * @return the results
	 */
	@Override
	public List<@Nullable Object> get(Duration timeout) {
		return join(timeout, true);
	}

	/**
	 * Wait for every member and return their results in member order.
	 * @param timeout how long to wait in all
	 * @param propagate whether a failure is thrown; when not, a failed member's entry is its
	 * {@link TaskFailedException}
	 * @return the results
	 */
	public List<@Nullable Object> join(Duration timeout, boolean propagate) {
		Instant deadline = Instant.now().plus(timeout);
		List<@Nullable Object> values = new ArrayList<>(this.results.size());
		for (AsyncResult result : this.results) {
			Duration left = Duration.between(Instant.now(), deadline);
			try {
				values.add(result.get(left.isNegative() ? Duration.ZERO : left));
			}
			catch (TaskFailedException ex) {
				if (propagate) {
					throw ex;
				}
				values.add(ex);
			}
		}
		return values;
	}

	@Override
	public String toString() {
		return "GroupResult[" + id() + " " + this.results + "]";
	}

}
