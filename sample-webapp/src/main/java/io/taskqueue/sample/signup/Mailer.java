package io.taskqueue.sample.signup;

/**
 * Sends an email. The sample's implementation only logs; a real application would use a mail server.
 */
public interface Mailer {

	void send(String to, String subject, String body);

}
