package io.taskqueue.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks a bean method as the implementation of a task (Celery's {@code @app.task}).
 *
 * <p>Positional JSON arguments bind to the method's parameters in order and keyword arguments by
 * parameter name (compile with {@code -parameters}); each is converted with the application's
 * Jackson mapper to the declared type. A parameter of type {@link io.taskqueue.core.TaskContext} is
 * injected. The return value becomes the task's result; a thrown exception makes it FAILURE.
 *
 * <pre class="code">
 * &#64;TaskListener(name = "math.add")
 * int add(int x, int y) { return x + y; }
 * </pre>
 *
 * <p>Works on proxied beans ({@code @Transactional}, AOP): the method is invoked through the proxy.
 * {@code ${...}} placeholders are resolved in {@link #name()} and {@link #queue()}.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskListener {

	/**
	 * Alias for {@link #name()}.
	 * @return the task name
	 */
	@AliasFor("name")
	String value() default "";

	/**
	 * The task name producers send, e.g. {@code emails.send_welcome}; must be unique.
	 * @return the task name
	 */
	@AliasFor("value")
	String name() default "";

	/**
	 * The queue this task is consumed from and, for senders in this application, routed to; empty
	 * to follow {@code taskqueue.routes} and then {@code taskqueue.default-queue}.
	 * @return the queue name
	 */
	String queue() default "";

}
