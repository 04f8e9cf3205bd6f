package io.taskqueue.crash;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * A beat-only application run as a separate process by the beat cluster test.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class BeatTestApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(BeatTestApplication.class);
		application.setDefaultProperties(Map.of("spring.main.web-application-type", "none", "spring.main.banner-mode",
				"off", "spring.jmx.enabled", "false", "taskqueue.worker.enabled", "false"));
		application.run(args);
	}

}
