package io.taskqueue.benchmarks;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CI runs the benchmarks in a tiny configuration only, to prove they still work; no figure is
 * asserted beyond "something was measured". Real runs: {@code benchmarks/run.sh}.
 */
class BenchmarkSmokeIntegrationTests {

	@Test
	void theLoadDriverRunsEveryScenarioOnRedis() throws Exception {
		Map<String, Object> figures = LoadDriver.run(LoadDriver.Options
			.parse(new String[] { "--tasks=200", "--latency=20", "--enqueue=200", "--countdown=5", "--concurrency=4",
					"--warmup=100", "--warmup-rounds=1", "--producers=2,4" }));
		assertThat(figures).containsKeys("enqueue_1_threads_per_s", "enqueue_8_threads_per_s",
				"latency_round_trip_p50_ms", "countdown_due_to_start_p50_ms", "worker_memory_after_run",
				"e2e_cpu_us_per_task", "warmup_tasks", "warmup_quiet");
		assertThat((Double) figures.get("e2e_tasks_per_s")).isPositive();
		assertThat((Double) figures.get("e2e_2_producers_tasks_per_s")).isPositive();
		assertThat((Double) figures.get("e2e_4_producers_tasks_per_s")).isPositive();
		assertThat((Double) figures.get("drain_tasks_per_s")).isPositive();
		assertThat(figures).containsKey("drain_cpu_us_per_task");
	}

	@Test
	void theLoadDriverRunsOnRabbitMqWithVersionTwoQueuesAsynchronousSendsAndTransientMessages() throws Exception {
		Map<String, Object> figures = LoadDriver.run(LoadDriver.Options.parse(new String[] { "--broker=rabbit",
				"--queue-version=2", "--tasks=100", "--latency=10", "--enqueue=50", "--countdown=2", "--concurrency=4",
				"--warmup=50", "--warmup-rounds=1", "--producers=2", "--async-sends=true",
				"--delivery-mode=transient" }));
		assertThat(figures).containsEntry("broker", "rabbit")
			.containsEntry("queue_version", 2)
			.containsEntry("sends", "sendAsync")
			.containsEntry("delivery_mode", "transient");
		assertThat((Double) figures.get("e2e_tasks_per_s")).isPositive();
		assertThat((Double) figures.get("e2e_2_producers_tasks_per_s")).isPositive();
		assertThat(figures).doesNotContainKey("drain_tasks_per_s");
	}

	@Test
	void theRabbitMqCeilingMeasuresBothProducerModes() throws Exception {
		Map<String, Object> figures = RabbitCeiling.run(200, 4, 8, false, 0);
		assertThat((Long) figures.get("confirmed_messages_per_s")).isPositive();
		assertThat((Long) figures.get("unconfirmed_messages_per_s")).isPositive();
		assertThat(figures).containsKeys("confirmed_cpu_us_per_message", "unconfirmed_cpu_us_per_message");
	}

	@Test
	void theBrokersPublishesAreMeasuredWithAndWithoutCombinedWrites() throws Exception {
		Map<String, Object> figures = RabbitPublishWrites.run(200, 2, 16, 1);
		for (String mode : new String[] { "combined", "plain" }) {
			@SuppressWarnings("unchecked")
			Map<String, Long> measured = (Map<String, Long>) figures.get(mode);
			assertThat(measured).containsKeys("client", "rabbitmq");
			assertThat(measured.get("messages_per_s")).isPositive();
		}
	}

	@Test
	void theCodecMicroBenchmarksRun() throws Exception {
		var results = new Runner(new OptionsBuilder().include(".*CodecBenchmarks.*")
			.forks(0)
			.warmupIterations(0)
			.measurementIterations(1)
			.measurementTime(TimeValue.milliseconds(200))
			.build()).run();
		assertThat(results).hasSize(2)
			.allSatisfy((result) -> assertThat(result.getPrimaryResult().getScore()).isPositive());
	}

}
