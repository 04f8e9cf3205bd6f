package io.taskqueue.client.sample;

import io.taskqueue.client.TaskClient;
import io.taskqueue.client.TaskName;
import io.taskqueue.core.AsyncResult;

@TaskClient(queue = "reports")
public interface Reports {

	@TaskName("reports.build")
	AsyncResult build(int year);

}
