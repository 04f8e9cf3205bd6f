package io.taskqueue.result.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.taskqueue.redis.RedisTestConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker holds revocations in memory, as Celery's workers do: what it loads when it subscribes,
 * what is announced afterwards, and what a later reload finds. Each test removes Redis's per-task
 * record so that only the worker's memory can answer.
 */
class RedisRevocationsIntegrationTests {

	@RegisterExtension
	static final RedisTestConnection connection = new RedisTestConnection("tqrevoke-");

	private final List<String> taskIds = new ArrayList<>();

	private StringRedisTemplate redis;

	private RedisResultBackend producer;

	private RedisResultBackend worker;

	@BeforeEach
	void createBackends() {
		this.redis = new StringRedisTemplate(connection.connectionFactory());
		this.producer = newBackend();
	}

	@AfterEach
	void cleanUp() throws Exception {
		this.producer.destroy();
		if (this.worker != null) {
			this.worker.destroy();
		}
		for (String taskId : this.taskIds) {
			this.redis.delete("taskqueue-revoked-" + taskId);
			this.redis.opsForZSet().remove("taskqueue-revoked", taskId);
		}
	}

	@Test
	void aWorkerLoadsTheRevocationsInForceWhenItSubscribes() {
		String early = taskId();
		this.producer.revoke(early, false, Duration.ofMinutes(5));
		startWorker();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			forgetPerTaskRecord(early);
			return this.worker.isRevoked(early);
		});
		assertThat(this.worker.isRevoked(taskId())).isFalse();
	}

	@Test
	void aWorkerLearnsNewRevocationsFromTheirAnnouncement() {
		startWorker();
		awaitHeld();
		String later = taskId();
		this.producer.revoke(later, false, Duration.ofMinutes(5));
		forgetPerTaskRecord(later);
		this.redis.opsForZSet().remove("taskqueue-revoked", later);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.worker.isRevoked(later));
	}

	@Test
	void aRevocationEndsAfterItsTimeToLive() {
		startWorker();
		awaitHeld();
		String brief = taskId();
		this.producer.revoke(brief, false, Duration.ofSeconds(2));
		forgetPerTaskRecord(brief);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.worker.isRevoked(brief));
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.worker.isRevoked(brief));
	}

	@Test
	void aMissedAnnouncementIsFoundByTheNextReload() {
		startWorker();
		awaitHeld();
		String missed = taskId();
		// As if announced while the subscription was quietly re-established: only the list has it.
		Long now = this.redis.execute((org.springframework.data.redis.core.RedisCallback<Long>) (connection) -> connection
			.serverCommands()
			.time());
		this.redis.opsForZSet().add("taskqueue-revoked", missed, now + 60_000);
		await().atMost(Duration.ofSeconds(15)).until(() -> this.worker.isRevoked(missed));
	}

	@Test
	void aRevocationWithoutTimeToLiveLastsForever() throws Exception {
		startWorker();
		awaitHeld();
		String forever = taskId();
		this.producer.revoke(forever, false, Duration.ZERO);
		assertThat(this.redis.getExpire("taskqueue-revoked-" + forever)).isEqualTo(-1);
		forgetPerTaskRecord(forever);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.worker.isRevoked(forever));
		RedisResultBackend late = newBackend();
		try {
			late.addTerminationListener((taskId) -> {
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> late.isRevoked(forever));
		}
		finally {
			late.destroy();
		}
	}

	@Test
	void afterASuspensionTheCheckReadsRedisUntilTheListLoadsAgain() {
		RedisRevocations revocations = new RedisRevocations(this.redis, "taskqueue-terminate", () -> true);
		String revoked = taskId();
		this.producer.revoke(revoked, false, Duration.ofMinutes(5));
		revocations.load();
		forgetPerTaskRecord(revoked);
		assertThat(revocations.isRevoked(revoked)).isTrue();
		revocations.suspend();
		assertThat(revocations.isRevoked(revoked)).isFalse();
		revocations.refresh();
		assertThat(revocations.isRevoked(revoked)).isTrue();
	}

	@Test
	void withoutASubscriptionTheCheckReadsRedis() throws Exception {
		String revoked = taskId();
		this.producer.revoke(revoked, false, Duration.ofMinutes(5));
		// The producer never subscribed to revocations: it answers from Redis, so a removed record is gone.
		assertThat(this.producer.isRevoked(revoked)).isTrue();
		RedisResultBackend other = newBackend();
		try {
			assertThat(other.isRevoked(revoked)).isTrue();
			forgetPerTaskRecord(revoked);
			assertThat(other.isRevoked(revoked)).isFalse();
		}
		finally {
			other.destroy();
		}
	}

	private static RedisResultBackend newBackend() {
		return new RedisResultBackend(connection.connectionFactory(), new JsonMapper(), Duration.ofMinutes(10));
	}

	private void startWorker() {
		this.worker = newBackend();
		this.worker.addTerminationListener((taskId) -> {
		});
	}

	/**
	 * Wait until the worker answers from memory: a revocation known only to the list is seen.
	 */
	private void awaitHeld() {
		String probe = taskId();
		this.producer.revoke(probe, false, Duration.ofMinutes(5));
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			forgetPerTaskRecord(probe);
			return this.worker.isRevoked(probe);
		});
	}

	private void forgetPerTaskRecord(String taskId) {
		this.redis.delete("taskqueue-revoked-" + taskId);
	}

	private String taskId() {
		String taskId = "revocation-" + UUID.randomUUID();
		this.taskIds.add(taskId);
		return taskId;
	}

}
