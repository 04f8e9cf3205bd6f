package io.taskqueue.core;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Where a signature is sent from in a workflow: the parent's result to prepend, the parent and root
 * ids, the group and chord it belongs to, and the rest of its chain (last step first).
 *
 * @param hasParentResult whether {@code parentResult} is to be prepended to mutable signatures
 * @param parentResult the parent's result
 * @param parentId the parent task id
 * @param rootId the workflow's root task id
 * @param groupId the group id, or {@code null}
 * @param groupIndex the position in the group
 * @param chord the chord callback in wire form, or {@code null}
 * @param chainRest the remaining chain steps in wire form, last first
 */
public record Lineage(boolean hasParentResult, @Nullable Object parentResult, @Nullable String parentId,
		@Nullable String rootId, @Nullable String groupId, @Nullable Integer groupIndex,
		@Nullable Map<String, Object> chord, List<Map<String, Object>> chainRest) {

	/** A top-level send. */
	public static final Lineage ROOT = new Lineage(false, null, null, null, null, null, null, List.of());

	/**
	 * The lineage of a step that follows a finished task.
	 * @param result the finished task's result
	 * @param parentId the finished task's id
	 * @param rootId the workflow's root id
	 * @param chainRest the remaining chain, last first
	 * @return the lineage
	 */
	public static Lineage after(@Nullable Object result, String parentId, String rootId,
			List<Map<String, Object>> chainRest) {
		return new Lineage(true, result, parentId, rootId, null, null, null, chainRest);
	}

	Lineage inGroup(String groupId, int index, @Nullable Map<String, Object> chord) {
		return new Lineage(this.hasParentResult, this.parentResult, this.parentId, this.rootId, groupId, index, chord,
				List.of());
	}

	Lineage withChainRest(List<Map<String, Object>> rest) {
		return new Lineage(this.hasParentResult, this.parentResult, this.parentId, this.rootId, this.groupId,
				this.groupIndex, this.chord, rest);
	}

}
