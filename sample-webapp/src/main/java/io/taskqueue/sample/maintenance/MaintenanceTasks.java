package io.taskqueue.sample.maintenance;

import java.time.Instant;

import io.taskqueue.annotation.TaskListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * The periodic tasks beat sends (see {@code taskqueue.beat.schedule} in application.yml).
 */
@Component
class MaintenanceTasks {

	private static final Log logger = LogFactory.getLog(MaintenanceTasks.class);

	@TaskListener("maintenance.cleanup_sessions")
	String cleanupSessions() {
		logger.info("Cleaning up expired sessions");
		return "sessions cleaned at " + Instant.now();
	}

	@TaskListener("maintenance.health_check")
	String healthCheck() {
		logger.info("Periodic health check");
		return "healthy";
	}

}
