package io.taskqueue.sample.signup;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.core.TaskContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * The background half of a signup: sends the welcome email.
 */
@Component
class WelcomeEmailTask {

	static final String NAME = "emails.send_welcome";

	private static final Log logger = LogFactory.getLog(WelcomeEmailTask.class);

	private final Mailer mailer;

	WelcomeEmailTask(Mailer mailer) {
		this.mailer = mailer;
	}

	@TaskListener(NAME)
	String sendWelcome(String email, String name, TaskContext context) {
		logger.info("Sending welcome email to " + email + " (task " + context.id() + ")");
		this.mailer.send(email, "Welcome, " + name + "!", "Thanks for signing up.");
		return "Welcome email sent to " + email;
	}

}
