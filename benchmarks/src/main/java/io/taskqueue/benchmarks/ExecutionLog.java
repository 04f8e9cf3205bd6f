package io.taskqueue.benchmarks;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Where benchmark workers record each execution of a counted task, on the machine's shared Redis
 * (never on the Redis a fault scenario stops): how often each task id ran and when it first ran.
 */
public final class ExecutionLog implements AutoCloseable {

	private final LettuceConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	/**
	 * Connect to the log.
	 * @param port the shared Redis's port on 127.0.0.1
	 */
	public ExecutionLog(int port) {
		this.connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.redis = new StringRedisTemplate(this.connectionFactory);
	}

	void record(String run, String taskId) {
		Instant now = Instant.now();
		this.redis.opsForHash().increment("bench:exec:" + run, taskId, 1);
		this.redis.opsForHash()
			.putIfAbsent("bench:first:" + run, taskId, Long.toString(now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000));
	}

	/**
	 * Return how many times each task of a run executed.
	 * @param run the run id
	 * @return executions by task id
	 */
	public Map<String, Integer> executions(String run) {
		Map<String, Integer> counts = new HashMap<>();
		this.redis.<String, String>opsForHash()
			.entries("bench:exec:" + run)
			.forEach((id, count) -> counts.put(id, Integer.parseInt(count)));
		return counts;
	}

	/**
	 * Return when each task of a run first executed, in microseconds since the epoch.
	 * @param run the run id
	 * @return first execution times by task id
	 */
	public Map<String, Long> firstExecutions(String run) {
		Map<String, Long> times = new HashMap<>();
		this.redis.<String, String>opsForHash()
			.entries("bench:first:" + run)
			.forEach((id, micros) -> times.put(id, Long.parseLong(micros)));
		return times;
	}

	/**
	 * Forget a run.
	 * @param run the run id
	 */
	public void delete(String run) {
		this.redis.delete(List.of("bench:exec:" + run, "bench:first:" + run));
	}

	@Override
	public void close() {
		this.connectionFactory.destroy();
	}

}
