package io.taskqueue.crash;

import java.lang.management.ManagementFactory;

import io.taskqueue.annotation.TaskListener;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A worker-only application run as a separate process by the crash tests. Each execution is counted
 * in Redis before the task body runs, so duplicates are visible.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class CrashTestWorker {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(CrashTestWorker.class);
		application.setDefaultProperties(java.util.Map.of("spring.main.web-application-type", "none",
				"spring.main.banner-mode", "off", "spring.jmx.enabled", "false"));
		application.run(args);
	}

	@Bean
	Tasks crashTasks(StringRedisTemplate redis) {
		return new Tasks(redis);
	}

	@Bean
	Ready ready(StringRedisTemplate redis, org.springframework.core.env.Environment environment) {
		return new Ready(redis, environment.getRequiredProperty("crash.run"));
	}

	static class Tasks {

		private final StringRedisTemplate redis;

		Tasks(StringRedisTemplate redis) {
			this.redis = redis;
		}

		@TaskListener("crash.work")
		int work(String run, int index, int millis) throws InterruptedException {
			this.redis.opsForHash().increment("tqcrash:" + run + ":executions", Integer.toString(index), 1);
			Thread.sleep(millis);
			return index;
		}

		@TaskListener("crash.total")
		int total(java.util.List<Integer> values, String run) {
			this.redis.opsForValue().increment("tqcrash:" + run + ":callbacks");
			return values.stream().mapToInt(Integer::intValue).sum();
		}

	}

	record Ready(StringRedisTemplate redis, String run) {

		@EventListener(ApplicationReadyEvent.class)
		public void announce() {
			this.redis.opsForSet().add("tqcrash:" + this.run + ":ready", ManagementFactory.getRuntimeMXBean().getName());
		}

	}

}
