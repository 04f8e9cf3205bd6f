package io.taskqueue.autoconfigure.client;

import io.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import io.taskqueue.client.TaskClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of {@link TaskClient} interfaces found in the application's packages.
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class)
@Import(TaskClientsRegistrar.class)
public final class TaskClientsAutoConfiguration {

}
