package io.taskqueue.cluster;

import java.time.Instant;
import java.util.List;

/**
 * What one worker process reports about itself in its heartbeat.
 *
 * @param id the worker's name, {@code celery@host}-style and unique per process
 * @param hostname the host it runs on
 * @param pid its process id
 * @param queues the queues it consumes
 * @param concurrency how many tasks it runs at once, over all queues
 * @param active how many tasks it is running
 * @param processed how many tasks it has finished since it started
 * @param paused the queues whose consumers are paused
 * @param startedAt when it started
 * @param lastHeartbeat when it sent this heartbeat
 */
public record WorkerInfo(String id, String hostname, long pid, List<String> queues, int concurrency, int active,
		long processed, List<String> paused, Instant startedAt, Instant lastHeartbeat) {

}
