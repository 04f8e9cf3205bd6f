package io.taskqueue.sample.reports;

import java.util.List;
import java.util.Map;

import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.Signature;
import io.taskqueue.core.TaskTemplate;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import static io.taskqueue.core.Canvas.chain;
import static io.taskqueue.core.Canvas.chord;
import static io.taskqueue.core.Canvas.group;

/**
 * Workflows: a report pipeline (a chain) and thumbnails for an album (a chord).
 */
@RestController
class ReportController {

	private final TaskTemplate tasks;

	ReportController(TaskTemplate tasks) {
		this.tasks = tasks;
	}

	@PostMapping("/reports")
	ResponseEntity<Map<String, Object>> report(@RequestBody(required = false) ReportRequest request) {
		if (request == null || !StringUtils.hasText(request.name()) || !StringUtils.hasText(request.email())) {
			return ResponseEntity.badRequest().body(Map.of("error", "Both 'name' and 'email' are required"));
		}
		AsyncResult result = this.tasks.send(chain(Signature.of(ReportTasks.COLLECT, request.name()),
				Signature.of(ReportTasks.RENDER), Signature.of(ReportTasks.NOTIFY, request.email())));
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(Map.of("message", "Report pipeline started: collect, render, notify", "taskId", result.id()));
	}

	@PostMapping("/albums")
	ResponseEntity<Map<String, Object>> album(@RequestBody(required = false) AlbumRequest request) {
		if (request == null || request.paths() == null || request.paths().isEmpty()) {
			return ResponseEntity.badRequest().body(Map.of("error", "'paths' must list at least one image"));
		}
		Signature[] thumbnails = request.paths().stream().map((path) -> Signature.of("images.process", path))
			.toArray(Signature[]::new);
		AsyncResult result = this.tasks.send(chord(group(thumbnails), Signature.of(ReportTasks.SUMMARIZE)));
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(Map.of("message", "Making " + thumbnails.length + " thumbnails, then a summary", "taskId",
					result.id()));
	}

	record ReportRequest(String name, String email) {
	}

	record AlbumRequest(List<String> paths) {
	}

}
