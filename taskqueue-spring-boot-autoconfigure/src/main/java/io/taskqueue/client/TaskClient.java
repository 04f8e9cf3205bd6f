package io.taskqueue.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface whose methods send tasks. Interfaces in the application's packages (those of
 * its {@code @SpringBootApplication}) become beans; each method names its task with
 * {@link TaskName} and its arguments become the task's positional arguments. Callers need neither
 * task-name strings nor the worker's classes.
 *
 * <pre class="code">
 * &#064;TaskClient
 * public interface Emails {
 *
 *     &#064;TaskName("emails.send_welcome")
 *     AsyncResult sendWelcome(String email, String name);
 *
 * }
 * </pre>
 *
 * Methods may return {@link io.taskqueue.core.AsyncResult}, {@code void} (fire and forget), or
 * {@link java.util.concurrent.CompletableFuture} / {@link java.util.concurrent.CompletionStage} of
 * the task's result.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskClient {

	/**
	 * Queue every method of this client sends to; empty to route by task name like
	 * {@code TaskTemplate.send}.
	 * @return the queue
	 */
	String queue() default "";

}
