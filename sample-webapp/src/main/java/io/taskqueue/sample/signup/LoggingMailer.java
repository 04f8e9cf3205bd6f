package io.taskqueue.sample.signup;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * A {@link Mailer} that writes emails to the log instead of sending them.
 */
@Component
class LoggingMailer implements Mailer {

	private static final Log logger = LogFactory.getLog(LoggingMailer.class);

	@Override
	public void send(String to, String subject, String body) {
		logger.info("Email to " + to + ": " + subject);
	}

}
