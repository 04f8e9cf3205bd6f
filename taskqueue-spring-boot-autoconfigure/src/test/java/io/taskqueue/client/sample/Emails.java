package io.taskqueue.client.sample;

import java.util.concurrent.CompletableFuture;

import io.taskqueue.client.TaskClient;
import io.taskqueue.client.TaskName;
import io.taskqueue.core.AsyncResult;

@TaskClient
public interface Emails {

	@TaskName("emails.send_welcome")
	AsyncResult sendWelcome(String email, String name);

	@TaskName("emails.send_welcome")
	CompletableFuture<Object> welcome(String email, String name);

	@TaskName("emails.send_welcome")
	void fireAndForget(String email, String name);

	default AsyncResult welcomeAda() {
		return sendWelcome("ada@example.com", "Ada");
	}

}
