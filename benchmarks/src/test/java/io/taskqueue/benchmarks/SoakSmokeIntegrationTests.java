package io.taskqueue.benchmarks;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 30-second version of the soak run that CI can afford: a steady stream of tasks while one of
 * two workers is restarted every 10 seconds. Nothing may be lost and the worker that stays up may
 * not gain threads. (The heap figures are printed; the 10% bound is checked by the 10-minute run,
 * {@code SoakDriver}, where a trend can show.)
 */
class SoakSmokeIntegrationTests {

	@Test
	void nothingIsLostWhileAWorkerIsRestartedEveryTenSeconds() throws Exception {
		Map<String, Object> figures = SoakDriver.run(Duration.ofSeconds(30), Duration.ofSeconds(10), 50);
		System.out.println("Soak (30 s): " + figures);
		assertThat((long) figures.get("sent")).isGreaterThan(1_000);
		assertThat((long) figures.get("lost")).isZero();
		assertThat((long) figures.get("executed")).isEqualTo((long) figures.get("sent"));
		assertThat((int) figures.get("worker_restarts")).isGreaterThanOrEqualTo(2);
		assertThat((long) figures.get("threads_end")).isLessThanOrEqualTo((long) figures.get("threads_start") + 2);
	}

}
