package io.taskqueue.sample.tasks;

import java.util.LinkedHashMap;
import java.util.Map;

import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskState;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.result.TaskError;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reports a task's state and result to the browser that started it.
 */
@RestController
class TaskStatusController {

	private final TaskTemplate tasks;

	TaskStatusController(TaskTemplate tasks) {
		this.tasks = tasks;
	}

	@GetMapping("/tasks/{id}")
	ResponseEntity<Map<String, Object>> status(@PathVariable String id) {
		AsyncResult result = this.tasks.result(id);
		if (!result.exists()) {
			return ResponseEntity.status(404).body(Map.of("error", "No task with id " + id));
		}
		TaskState state = result.state();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", id);
		body.put("state", state);
		Object info = result.info();
		body.put("result", (info instanceof TaskError error) ? error.toString() : info);
		return ResponseEntity.ok(body);
	}

}
