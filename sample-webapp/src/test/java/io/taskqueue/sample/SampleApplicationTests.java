package io.taskqueue.sample;

import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
@AutoConfigureMockMvc
class SampleApplicationTests {

	@Autowired
	private MockMvc mvc;

	@Test
	void signupSendsTheWelcomeEmailInTheBackground() throws Exception {
		String taskId = accepted(post("/signup").contentType(MediaType.APPLICATION_JSON)
			.content("{\"email\": \"ada@example.com\", \"name\": \"Ada\"}"));
		awaitSuccess(taskId);
		this.mvc.perform(get("/tasks/" + taskId))
			.andExpect(jsonPath("$.id").value(taskId))
			.andExpect(jsonPath("$.result").value("Welcome email sent to ada@example.com"));
		this.mvc.perform(get("/actuator/tasks"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.registered[*].name", hasItem("emails.send_welcome")))
			.andExpect(jsonPath("$.queues[*].queue", hasItem("emails")))
			.andExpect(jsonPath("$.recent[*].id", hasItem(taskId)))
			.andExpect(jsonPath("$.counts.SUCCESS").isNumber())
			.andExpect(jsonPath("$.beat[*].name", hasItem("cleanup-sessions")))
			.andExpect(jsonPath("$.beat[*].name", hasItem("health-check")))
			.andExpect(jsonPath("$.beat[?(@.name == 'health-check')].schedule", hasItem("every PT5M")));
		this.mvc.perform(get("/actuator/tasks/" + taskId))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("SUCCESS"));
	}

	@Test
	void signupWithoutNameOrEmailIsABadRequest() throws Exception {
		this.mvc.perform(post("/signup").contentType(MediaType.APPLICATION_JSON).content("{\"email\": \"a@b.c\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("Both 'email' and 'name' are required"));
		this.mvc.perform(post("/signup").contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"Ada\"}"))
			.andExpect(status().isBadRequest());
	}

	@Test
	void imagesGetAThumbnailPath() throws Exception {
		String taskId = accepted(
				post("/images").contentType(MediaType.APPLICATION_JSON).content("{\"path\": \"photos/cat.jpg\"}"));
		awaitSuccess(taskId);
		this.mvc.perform(get("/tasks/" + taskId)).andExpect(jsonPath("$.result").value("photos/cat_thumb.jpg"));
	}

	@Test
	void aReportRunsItsPipelineAsAChain() throws Exception {
		String taskId = accepted(post("/reports").contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"weekly\", \"email\": \"boss@example.com\"}"));
		awaitSuccess(taskId);
		this.mvc.perform(get("/tasks/" + taskId))
			.andExpect(jsonPath("$.result").value("Sent to boss@example.com: Report 'weekly': 42 signups, 7 thumbnails"));
	}

	@Test
	void anAlbumGetsThumbnailsThenASummaryAsAChord() throws Exception {
		String taskId = accepted(post("/albums").contentType(MediaType.APPLICATION_JSON)
			.content("{\"paths\": [\"a/1.jpg\", \"a/2.png\"]}"));
		awaitSuccess(taskId);
		this.mvc.perform(get("/tasks/" + taskId))
			.andExpect(jsonPath("$.result").value("2 thumbnails: a/1_thumb.jpg, a/2_thumb.png"));
	}

	@Test
	void anImageWithoutPathIsABadRequest() throws Exception {
		this.mvc.perform(post("/images").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("'path' is required"));
	}

	@Test
	void anUnknownTaskIdIsNotFound() throws Exception {
		this.mvc.perform(get("/tasks/no-such-task")).andExpect(status().isNotFound());
		this.mvc.perform(get("/actuator/tasks/no-such-task")).andExpect(status().isNotFound());
	}

	@Test
	void withoutSpringSecurityTheEndpointsWriteOperationsAreOpenToWhoeverItIsExposedTo() throws Exception {
		this.mvc.perform(post("/actuator/tasks/emails/pause").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.done").value(true));
		this.mvc.perform(get("/actuator/tasks"))
			.andExpect(jsonPath("$.consumers[?(@.queue == 'emails')].paused", hasItem(true)))
			.andExpect(jsonPath("$.workers[0].queues", hasItem("emails")));
		String taskId = accepted(post("/signup").contentType(MediaType.APPLICATION_JSON)
			.content("{\"email\": \"paused@example.com\", \"name\": \"P\"}"));
		this.mvc.perform(delete("/actuator/tasks/" + taskId)).andExpect(jsonPath("$.done").value(true));
		this.mvc.perform(post("/actuator/tasks/emails/resume").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andExpect(status().isOk());
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> this.mvc.perform(get("/tasks/" + taskId))
			.andExpect(jsonPath("$.state").value("REVOKED")));
	}

	@Test
	void taskMetricsArePublished() throws Exception {
		String taskId = accepted(post("/images").contentType(MediaType.APPLICATION_JSON)
			.content("{\"path\": \"photos/dog.jpg\"}"));
		awaitSuccess(taskId);
		this.mvc.perform(get("/actuator/metrics/taskqueue.tasks.succeeded").param("tag", "task:images.process"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.measurements[0].value").isNumber());
		this.mvc.perform(get("/actuator/metrics/taskqueue.tasks.execution")).andExpect(status().isOk());
		this.mvc.perform(get("/actuator/metrics/taskqueue.queue.depth").param("tag", "queue:images"))
			.andExpect(status().isOk());
	}

	@Test
	void healthIncludesTaskqueue() throws Exception {
		this.mvc.perform(get("/actuator/health"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.components.taskqueue.status").value("UP"));
	}

	private String accepted(org.springframework.test.web.servlet.RequestBuilder request) throws Exception {
		MvcResult result = this.mvc.perform(request)
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.message").isString())
			.andReturn();
		return JsonPath.read(result.getResponse().getContentAsString(), "$.taskId");
	}

	private void awaitSuccess(String taskId) {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> this.mvc.perform(get("/tasks/" + taskId))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("SUCCESS")));
	}

}
