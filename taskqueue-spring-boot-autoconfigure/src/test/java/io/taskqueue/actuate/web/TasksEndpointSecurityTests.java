package io.taskqueue.actuate.web;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.result.ResultBackend;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * With Spring Security on the classpath and Spring Boot's defaults, the {@code tasks} endpoint's
 * reads and writes need an authenticated user, and writes a CSRF token too, like every other
 * Actuator endpoint. (Without Spring Security the sample application's tests call the same
 * operations anonymously.)
 */
@SpringBootTest(classes = TasksEndpointSecurityTests.SecuredApplication.class,
		properties = { "management.endpoints.web.exposure.include=health,tasks", "taskqueue.worker.poll-timeout=100ms",
				"management.health.rabbit.enabled=false", "management.health.redis.enabled=false" })
@AutoConfigureMockMvc
class TasksEndpointSecurityTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private TaskTemplate tasks;

	@Autowired
	private ResultBackend results;

	@Autowired
	private TaskListenerEndpointRegistry registry;

	@Test
	void anonymousCallersGetNothingAndRevokeNothing() throws Exception {
		AsyncResult result = queuedTask();
		this.mvc.perform(get("/actuator/tasks")).andExpect(status().isUnauthorized());
		this.mvc.perform(delete("/actuator/tasks/" + result.id()).with(csrf())).andExpect(status().isUnauthorized());
		this.mvc.perform(json(post("/actuator/tasks/celery/pause").with(csrf()))).andExpect(status().is4xxClientError());
		assertThat(this.results.isRevoked(result.id())).isFalse();
		assertThat(this.registry.getContainer("celery").isPaused()).isFalse();
	}

	@Test
	@WithMockUser
	void anAuthenticatedUserReadsAndRevokes() throws Exception {
		AsyncResult result = queuedTask();
		this.mvc.perform(get("/actuator/tasks")).andExpect(status().isOk()).andExpect(jsonPath("$.workers").isArray());
		this.mvc.perform(delete("/actuator/tasks/" + result.id()).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.done").value(true));
		assertThat(this.results.isRevoked(result.id())).isTrue();
	}

	@Test
	@WithMockUser
	void writesWithoutACsrfTokenAreRefused() throws Exception {
		AsyncResult result = queuedTask();
		this.mvc.perform(delete("/actuator/tasks/" + result.id())).andExpect(status().isForbidden());
		assertThat(this.results.isRevoked(result.id())).isFalse();
	}

	@Test
	@WithMockUser
	void anAuthenticatedUserPausesAndResumesAConsumer() throws Exception {
		this.mvc.perform(json(post("/actuator/tasks/celery/pause").with(csrf())))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.done").value(true));
		this.mvc.perform(get("/actuator/tasks")).andExpect(jsonPath("$.consumers[0].paused").value(true));
		this.mvc.perform(json(post("/actuator/tasks/celery/resume").with(csrf()))).andExpect(status().isOk());
		this.mvc.perform(get("/actuator/tasks")).andExpect(jsonPath("$.consumers[0].paused").value(false));
	}

	static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request) {
		return request.contentType(MediaType.APPLICATION_JSON).content("{}");
	}

	private AsyncResult queuedTask() {
		return this.tasks.task("secured.echo").args("x").countdown(java.time.Duration.ofHours(1)).send();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Tasks.class)
	static class SecuredApplication {

	}

	static class Tasks {

		@TaskListener("secured.echo")
		String echo(String text) {
			return text;
		}

	}

}
