package io.taskqueue.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the task a {@link TaskClient} method sends.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskName {

	/**
	 * The task name, as the worker's {@code @TaskListener} (or Celery task) declares it.
	 * @return the task name
	 */
	String value();

}
