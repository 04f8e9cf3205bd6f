package io.taskqueue.sample;

import java.time.Duration;

import io.taskqueue.sample.signup.Mailer;
import io.taskqueue.test.TaskQueueTester;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The sample tested the way its README recommends for application tests: taskqueue's test support
 * in eager mode, so the welcome email has been sent by the time the signup request returns.
 */
@SpringBootTest(properties = "taskqueue.test.eager=true")
@AutoConfigureMockMvc
class SampleEagerTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private TaskQueueTester tasks;

	@MockitoBean
	private Mailer mailer;

	@AfterEach
	void reset() {
		this.tasks.reset();
	}

	@Test
	void signupHasSentTheWelcomeEmailWhenTheRequestReturns() throws Exception {
		this.mvc.perform(post("/signup").contentType(MediaType.APPLICATION_JSON)
			.content("{\"email\": \"ada@example.com\", \"name\": \"Ada\"}")).andExpect(status().isAccepted());
		verify(this.mailer).send(eq("ada@example.com"), eq("Welcome, Ada!"), anyString());
		assertThat(this.tasks.sent("emails.send_welcome")).singleElement().satisfies((sent) -> {
			assertThat(sent.queue()).isEqualTo("emails");
			assertThat(sent.args()).containsExactly("ada@example.com", "Ada");
		});
	}

	@Test
	void aRejectedSignupSendsNothing() throws Exception {
		this.mvc.perform(post("/signup").contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"Ada\"}"))
			.andExpect(status().isBadRequest());
		assertThat(this.tasks.sent()).isEmpty();
		verify(this.mailer, never()).send(anyString(), anyString(), anyString());
	}

	@Test
	void theHealthCheckRunsEveryFiveMinutes() {
		this.tasks.advanceClock(Duration.ofMinutes(15));
		assertThat(this.tasks.sent("maintenance.health_check")).hasSize(3);
	}

}
