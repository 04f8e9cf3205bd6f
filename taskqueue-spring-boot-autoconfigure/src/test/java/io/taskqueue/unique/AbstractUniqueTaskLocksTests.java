package io.taskqueue.unique;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract of every {@link UniqueTaskLocks}: one holder per key, hand-over and release only by
 * the holder, claims that end after their time.
 */
public abstract class AbstractUniqueTaskLocksTests {

	private static final Duration HOUR = Duration.ofHours(1);

	private final String key = "contract-" + UUID.randomUUID();

	protected abstract UniqueTaskLocks createLocks();

	@Test
	void theFirstClaimWinsAndLaterOnesSeeItsHolder() {
		UniqueTaskLocks locks = createLocks();
		assertThat(locks.claim(this.key, "first", HOUR)).isNull();
		assertThat(locks.claim(this.key, "second", HOUR)).isEqualTo("first");
		assertThat(createLocks().claim(this.key, "third", HOUR)).as("another instance on the same store")
			.isEqualTo("first");
		assertThat(locks.claim(this.key + "-other", "fourth", HOUR)).isNull();
	}

	@Test
	void onlyTheExpectedHolderCanBeTakenOver() {
		UniqueTaskLocks locks = createLocks();
		locks.claim(this.key, "first", HOUR);
		assertThat(locks.takeOver(this.key, "someone-else", "second", HOUR)).isFalse();
		assertThat(locks.takeOver(this.key, "first", "second", HOUR)).isTrue();
		assertThat(locks.claim(this.key, "third", HOUR)).isEqualTo("second");
		assertThat(locks.takeOver(this.key + "-unheld", "first", "second", HOUR)).isFalse();
	}

	@Test
	void onlyTheHolderCanRelease() {
		UniqueTaskLocks locks = createLocks();
		locks.claim(this.key, "first", HOUR);
		locks.release(this.key, "second");
		assertThat(locks.claim(this.key, "third", HOUR)).isEqualTo("first");
		locks.release(this.key, "first");
		assertThat(locks.claim(this.key, "third", HOUR)).isNull();
	}

	@Test
	void aClaimEndsAfterItsTime() {
		UniqueTaskLocks locks = createLocks();
		assertThat(locks.claim(this.key, "first", Duration.ofMillis(200))).isNull();
		assertThat(locks.claim(this.key, "second", HOUR)).isEqualTo("first");
		await().atMost(Duration.ofSeconds(5)).until(() -> locks.claim(this.key, "second", HOUR) == null);
	}

}
