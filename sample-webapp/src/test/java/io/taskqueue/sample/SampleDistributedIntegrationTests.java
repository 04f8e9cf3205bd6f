package io.taskqueue.sample;

import java.io.File;
import java.time.Duration;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The README's distributed run: this web process has no worker; a separate worker-only process
 * executes the signup's task through the broker, and the result is read back from the web process.
 * Runs once with the redis profile and once with the rabbit profile.
 */
@SpringBootTest(properties = { "taskqueue.worker.enabled=false", "spring.data.redis.database=15" })
@AutoConfigureMockMvc
abstract class SampleDistributedIntegrationTests {

	static final String PREFIX = "tqsample-" + UUID.randomUUID() + ":";

	private static Process worker;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private StringRedisTemplate redis;

	@AfterEach
	void deleteKeys() {
		java.util.Set<String> keys = this.redis.keys(PREFIX + "*");
		if (keys != null && !keys.isEmpty()) {
			this.redis.delete(keys);
		}
	}

	static void startWorkerProcess(String profile) throws Exception {
		System.setProperty("taskqueue.redis.key-prefix", PREFIX);
		String java = ProcessHandle.current().info().command().orElse("java");
		worker = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SampleApplication.class.getName(),
				"--spring.profiles.active=" + profile + ",worker", "--spring.data.redis.database=15",
				"--taskqueue.redis.key-prefix=" + PREFIX)
			.redirectErrorStream(true)
			.redirectOutput(new File("target/sample-worker-" + profile + ".log"))
			.start();
	}

	@AfterAll
	static void stopWorkerProcess() throws Exception {
		System.clearProperty("taskqueue.redis.key-prefix");
		worker.destroy();
		worker.waitFor();
	}

	@Test
	void aSignupInTheWebProcessIsExecutedByTheWorkerProcess() throws Exception {
		assertThat(this.context.getBeansOfType(TaskListenerEndpointRegistry.class)).isEmpty();
		String body = this.mvc
			.perform(post("/signup").contentType(MediaType.APPLICATION_JSON)
				.content("{\"email\": \"grace@example.com\", \"name\": \"Grace\"}"))
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String taskId = JsonPath.read(body, "$.taskId");
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
			assertThat(worker.isAlive()).as("worker process is running (see target/sample-worker-*.log)").isTrue();
			this.mvc.perform(get("/tasks/" + taskId))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.state").value("SUCCESS"))
				.andExpect(jsonPath("$.result").value("Welcome email sent to grace@example.com"));
		});
	}

}
