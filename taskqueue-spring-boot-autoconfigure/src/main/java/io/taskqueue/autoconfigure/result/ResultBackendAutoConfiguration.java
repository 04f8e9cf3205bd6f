package io.taskqueue.autoconfigure.result;

import java.time.Clock;

import io.taskqueue.autoconfigure.TaskQueueClock;
import io.taskqueue.autoconfigure.TaskQueueProperties;
import io.taskqueue.result.DisabledResultBackend;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.inmemory.InMemoryResultBackend;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the in-memory {@link ResultBackend} (the default) and of the disabled one
 * ({@code taskqueue.result-backend.type=none}). Redis has its own auto-configuration.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@EnableConfigurationProperties(TaskQueueProperties.class)
public final class ResultBackendAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "taskqueue.result-backend.type", havingValue = "in-memory", matchIfMissing = true)
	static class InMemoryResultBackendConfiguration {

		@Bean
		@ConditionalOnMissingBean(ResultBackend.class)
		InMemoryResultBackend taskResultBackend(ObjectProvider<JsonMapper> jsonMapper, TaskQueueProperties properties,
				@Qualifier(TaskQueueClock.BEAN_NAME) ObjectProvider<Clock> clock) {
			return new InMemoryResultBackend(jsonMapper.getIfAvailable(JsonMapper::new),
					properties.getResultBackend().getExpires(), TaskQueueClock.resolve(clock));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "taskqueue.result-backend.type", havingValue = "none")
	static class DisabledResultBackendConfiguration {

		@Bean
		@ConditionalOnMissingBean(ResultBackend.class)
		DisabledResultBackend taskResultBackend() {
			return new DisabledResultBackend();
		}

	}

}
