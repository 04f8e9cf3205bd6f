package io.taskqueue.cluster;

import java.time.Duration;
import java.util.List;

/**
 * Where worker processes announce themselves, so that any process (the {@code tasks} endpoint of
 * a web node, say) can list the whole cluster's workers. A worker that stops heart-beating drops
 * out after its time to live.
 */
public interface WorkerRegistry {

	/**
	 * Record a worker as alive.
	 * @param worker what the worker reports
	 * @param timeToLive how long it counts as alive without another heartbeat
	 */
	void heartbeat(WorkerInfo worker, Duration timeToLive);

	/**
	 * Remove a worker at once, when it shuts down cleanly.
	 * @param workerId the worker's id
	 */
	void remove(String workerId);

	/**
	 * Return the live workers.
	 * @return the workers whose last heartbeat is still within its time to live, ordered by id
	 */
	List<WorkerInfo> workers();

}
