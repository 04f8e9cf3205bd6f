package io.taskqueue.listener;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A task running on this worker.
 *
 * @param id the task id
 * @param name the task name
 * @param args the positional arguments
 * @param kwargs the keyword arguments
 * @param queue the queue it came from
 * @param redelivered whether its message was delivered before
 * @param started when it started
 */
public record ActiveTask(String id, String name, List<?> args, Map<String, ?> kwargs, String queue,
		boolean redelivered, Instant started) {

}
