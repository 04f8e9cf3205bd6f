package io.taskqueue.sample.reports;

import java.util.List;
import java.util.Map;

import io.taskqueue.annotation.TaskListener;

import org.springframework.stereotype.Component;

/**
 * The steps of the sample's workflows; each receives the previous step's result first.
 */
@Component
class ReportTasks {

	static final String COLLECT = "reports.collect";

	static final String RENDER = "reports.render";

	static final String NOTIFY = "reports.notify";

	static final String SUMMARIZE = "images.summarize";

	@TaskListener(COLLECT)
	Map<String, Object> collect(String name) {
		return Map.of("name", name, "signups", 42, "thumbnails", 7);
	}

	@TaskListener(RENDER)
	String render(Map<String, Object> data) {
		return "Report '" + data.get("name") + "': " + data.get("signups") + " signups, " + data.get("thumbnails")
				+ " thumbnails";
	}

	@TaskListener(NOTIFY)
	String notify(String report, String email) {
		return "Sent to " + email + ": " + report;
	}

	@TaskListener(SUMMARIZE)
	String summarize(List<String> thumbnails) {
		return thumbnails.size() + " thumbnails: " + String.join(", ", thumbnails);
	}

}
