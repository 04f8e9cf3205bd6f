package io.taskqueue.protocol;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The third element of a Celery v2 body: the workflow signatures that travel with a task.
 *
 * <p>Signatures are kept in Celery's dictionary form ({@code task}, {@code args}, {@code kwargs},
 * {@code options}, {@code subtask_type}, {@code immutable}) so that they survive a round trip through
 * a worker of either language unchanged.
 *
 * @param callbacks signatures to apply on success ({@code link}), or {@code null}
 * @param errbacks signatures to apply on failure ({@code link_error}), or {@code null}
 * @param chain the remaining chain, last step first, or {@code null}
 * @param chord the chord callback this task is a header member of, or {@code null}
 */
public record Embed(@Nullable List<Map<String, Object>> callbacks, @Nullable List<Map<String, Object>> errbacks,
		@Nullable List<Map<String, Object>> chain, @Nullable Map<String, Object> chord) {

	/** An embed with no workflow. */
	public static final Embed NONE = new Embed(null, null, null, null);

	/**
	 * Whether this embed carries any workflow signature.
	 * @return {@code true} if any field is non-empty
	 */
	public boolean isEmpty() {
		return isEmpty(this.callbacks) && isEmpty(this.errbacks) && isEmpty(this.chain) && this.chord == null;
	}

	private static boolean isEmpty(@Nullable List<?> list) {
		return list == null || list.isEmpty();
	}

}
