package io.taskqueue.listener;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * The description of one task implementation: its name, queue and the bean method to invoke.
 * Holds no threads; containers are created from it by the {@link TaskListenerEndpointRegistry}.
 *
 * @param name the task name
 * @param queue the queue declared on the listener, or {@code null} to route by configuration
 * @param beanName the name of the bean declaring the method
 * @param bean the bean (possibly a proxy)
 * @param method the annotated method, on the target class; parameter names and types come from it
 * @param invocableMethod the same method as it can be invoked on {@code bean} (through a proxy)
 * @param options the execution options
 */
public record TaskListenerEndpoint(String name, @Nullable String queue, String beanName, Object bean, Method method,
		Method invocableMethod, TaskOptions options) {

	/**
	 * Return a readable {@code Class.method} description for messages.
	 * @return the description
	 */
	public String describe() {
		return this.method.getDeclaringClass().getSimpleName() + "." + this.method.getName();
	}

}
