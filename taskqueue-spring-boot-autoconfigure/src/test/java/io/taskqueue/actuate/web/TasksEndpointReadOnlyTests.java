package io.taskqueue.actuate.web;

import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.result.ResultBackend;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code management.endpoint.tasks.access=read-only} leaves the reads and removes the writes, even
 * for an authenticated user.
 */
@SpringBootTest(classes = TasksEndpointSecurityTests.SecuredApplication.class,
		properties = { "management.endpoints.web.exposure.include=health,tasks", "taskqueue.worker.poll-timeout=100ms",
				"management.health.rabbit.enabled=false", "management.health.redis.enabled=false",
				"management.endpoint.tasks.access=read-only" })
@AutoConfigureMockMvc
class TasksEndpointReadOnlyTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private TaskTemplate tasks;

	@Autowired
	private ResultBackend results;

	@Test
	@WithMockUser
	void writesAreNotMappedWhenTheEndpointIsReadOnly() throws Exception {
		AsyncResult result = this.tasks.task("secured.echo").args("x").countdown(java.time.Duration.ofHours(1)).send();
		this.mvc.perform(get("/actuator/tasks")).andExpect(status().isOk());
		this.mvc.perform(delete("/actuator/tasks/" + result.id()).with(csrf())).andExpect(status().is4xxClientError());
		this.mvc.perform(TasksEndpointSecurityTests.json(post("/actuator/tasks/celery/pause").with(csrf())))
			.andExpect(status().is4xxClientError());
		assertThat(this.results.isRevoked(result.id())).isFalse();
	}

}
