package io.taskqueue.sample.signup;

import java.util.Map;

import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskTemplate;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Accepts a signup and hands the welcome email to a worker.
 */
@RestController
class SignupController {

	private final TaskTemplate tasks;

	SignupController(TaskTemplate tasks) {
		this.tasks = tasks;
	}

	@PostMapping("/signup")
	ResponseEntity<Map<String, Object>> signup(@RequestBody(required = false) SignupRequest request) {
		if (request == null || !StringUtils.hasText(request.email()) || !StringUtils.hasText(request.name())) {
			return ResponseEntity.badRequest().body(Map.of("error", "Both 'email' and 'name' are required"));
		}
		AsyncResult result = this.tasks.send(WelcomeEmailTask.NAME, request.email(), request.name());
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(Map.of("message", "Signup received; a welcome email is on its way", "taskId", result.id()));
	}

	record SignupRequest(String email, String name) {
	}

}
