package io.taskqueue.sample.images;

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
 * Accepts an uploaded image's path and hands thumbnail creation to a worker.
 */
@RestController
class ImageController {

	private final TaskTemplate tasks;

	ImageController(TaskTemplate tasks) {
		this.tasks = tasks;
	}

	@PostMapping("/images")
	ResponseEntity<Map<String, Object>> process(@RequestBody(required = false) ImageRequest request) {
		if (request == null || !StringUtils.hasText(request.path())) {
			return ResponseEntity.badRequest().body(Map.of("error", "'path' is required"));
		}
		AsyncResult result = this.tasks.send(ThumbnailTask.NAME, request.path());
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(Map.of("message", "Image accepted; its thumbnail is being made", "taskId", result.id()));
	}

	record ImageRequest(String path) {
	}

}
