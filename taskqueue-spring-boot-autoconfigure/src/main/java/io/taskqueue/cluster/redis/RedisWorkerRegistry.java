package io.taskqueue.cluster.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import io.taskqueue.cluster.WorkerInfo;
import io.taskqueue.cluster.WorkerRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A {@link WorkerRegistry} on Redis, shared by the cluster: each worker is a JSON key with a time
 * to live, indexed in a sorted set by expiry so listing never scans the keyspace.
 */
public class RedisWorkerRegistry implements WorkerRegistry {

	private static final Log logger = LogFactory.getLog(RedisWorkerRegistry.class);

	private final StringRedisTemplate redis;

	private final JsonMapper mapper;

	private final String keyPrefix;

	private final Clock clock;

	/**
	 * Create a registry.
	 * @param connectionFactory the application's Redis connections
	 * @param mapper writes and reads the worker records
	 * @param keyPrefix a prefix for the keys
	 * @param clock the clock expiries are indexed with
	 */
	public RedisWorkerRegistry(RedisConnectionFactory connectionFactory, JsonMapper mapper, String keyPrefix,
			Clock clock) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.mapper = mapper;
		this.keyPrefix = keyPrefix;
		this.clock = clock;
	}

	@Override
	public void heartbeat(WorkerInfo worker, Duration timeToLive) {
		byte[] key = bytes(workerKey(worker.id()));
		byte[] value = this.mapper.writeValueAsBytes(worker);
		double expires = this.clock.millis() + timeToLive.toMillis();
		this.redis.execute((RedisCallback<Object>) (connection) -> {
			connection.stringCommands().pSetEx(key, Math.max(1, timeToLive.toMillis()), value);
			connection.zSetCommands().zAdd(bytes(indexKey()), expires, bytes(worker.id()));
			return null;
		});
	}

	@Override
	public void remove(String workerId) {
		this.redis.execute((RedisCallback<Object>) (connection) -> {
			connection.keyCommands().del(bytes(workerKey(workerId)));
			connection.zSetCommands().zRem(bytes(indexKey()), bytes(workerId));
			return null;
		});
	}

	@Override
	public List<WorkerInfo> workers() {
		long now = this.clock.millis();
		this.redis.opsForZSet().removeRangeByScore(indexKey(), Double.NEGATIVE_INFINITY, now);
		Set<String> ids = this.redis.opsForZSet().rangeByScore(indexKey(), now, Double.POSITIVE_INFINITY);
		if (ids == null || ids.isEmpty()) {
			return List.of();
		}
		List<String> records = this.redis.opsForValue().multiGet(ids.stream().map(this::workerKey).toList());
		List<WorkerInfo> workers = new ArrayList<>();
		if (records != null) {
			for (String record : records) {
				if (record != null) {
					read(record, workers);
				}
			}
		}
		workers.sort(Comparator.comparing(WorkerInfo::id));
		return workers;
	}

	private void read(String record, List<WorkerInfo> workers) {
		try {
			workers.add(this.mapper.readValue(record, WorkerInfo.class));
		}
		catch (JacksonException ex) {
			logger.debug("Skipping an unreadable worker record: " + ex.getMessage());
		}
	}

	private String workerKey(String workerId) {
		return this.keyPrefix + "_taskqueue.worker." + workerId;
	}

	private String indexKey() {
		return this.keyPrefix + "_taskqueue.workers";
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
