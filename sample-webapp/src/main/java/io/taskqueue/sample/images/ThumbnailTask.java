package io.taskqueue.sample.images;

import io.taskqueue.annotation.TaskListener;

import org.springframework.stereotype.Component;

/**
 * Makes an image's thumbnail; the sample computes where it goes ({@code photos/cat.jpg} becomes
 * {@code photos/cat_thumb.jpg}) rather than resizing pixels.
 */
@Component
class ThumbnailTask {

	static final String NAME = "images.process";

	@TaskListener(NAME)
	String process(String path) {
		int slash = path.lastIndexOf('/');
		int dot = path.lastIndexOf('.');
		if (dot <= slash + 1) {
			return path + "_thumb";
		}
		return path.substring(0, dot) + "_thumb" + path.substring(dot);
	}

}
