package io.taskqueue.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The producer side of the benchmark drivers: a Spring context with taskqueue auto-configured and
 * its worker off, so that every task runs in the worker JVMs.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class BenchProducer {

	/**
	 * Start a producer context.
	 * @param properties {@code name=value} settings, for example the broker type
	 * @return the running context
	 */
	public static ConfigurableApplicationContext start(List<String> properties) {
		List<String> all = new ArrayList<>(properties);
		// The benchmark's queues have random names that no route lists: no warning about them.
		all.addAll(List.of("spring.main.banner-mode=off", "logging.level.root=WARN", "taskqueue.worker.enabled=false",
				"taskqueue.producer.unknown-queue=ignore", "taskqueue.result-backend.expires=1h"));
		return new SpringApplicationBuilder(BenchProducer.class).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
	}

}
