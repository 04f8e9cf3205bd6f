package io.taskqueue.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskOperations;
import io.taskqueue.core.TaskRequest;
import org.jspecify.annotations.Nullable;

/**
 * Creates the implementation of a {@link TaskClient} interface. Every method is checked when the
 * client is created, so a missing {@link TaskName} or an unsupported return type fails the
 * application's start rather than the first call.
 */
public final class TaskClientProxyFactory {

	private TaskClientProxyFactory() {
	}

	/**
	 * Create a client.
	 * @param <T> the client type
	 * @param clientType the interface annotated with {@link TaskClient}
	 * @param tasks where the tasks are sent
	 * @return the client
	 * @throws IllegalArgumentException if the interface is not a valid task client
	 */
	public static <T> T create(Class<T> clientType, TaskOperations tasks) {
		if (!clientType.isInterface()) {
			throw new IllegalArgumentException(clientType.getName() + " is not an interface; @TaskClient needs one");
		}
		TaskClient client = clientType.getAnnotation(TaskClient.class);
		String queue = (client != null) ? client.queue() : "";
		Map<Method, String> names = new HashMap<>();
		for (Method method : clientType.getMethods()) {
			if (!method.isDefault() && !Modifier.isStatic(method.getModifiers())) {
				names.put(method, taskName(clientType, method));
			}
		}
		InvocationHandler handler = new Handler(clientType, tasks, queue, names);
		return clientType.cast(Proxy.newProxyInstance(clientType.getClassLoader(), new Class<?>[] { clientType }, handler));
	}

	private static String taskName(Class<?> clientType, Method method) {
		String where = clientType.getName() + "." + method.getName();
		TaskName name = method.getAnnotation(TaskName.class);
		if (name == null || name.value().isBlank()) {
			throw new IllegalArgumentException(where + " has no @TaskName; every method of a @TaskClient names its task");
		}
		Class<?> returns = method.getReturnType();
		if (returns != void.class && returns != AsyncResult.class && returns != CompletableFuture.class
				&& returns != CompletionStage.class) {
			throw new IllegalArgumentException(where + " returns " + returns.getName()
					+ "; task client methods return AsyncResult, void, CompletableFuture or CompletionStage");
		}
		return name.value();
	}

	private record Handler(Class<?> clientType, TaskOperations tasks, String queue,
			Map<Method, String> names) implements InvocationHandler {

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
			if (method.isDefault()) {
				return InvocationHandler.invokeDefault(proxy, method, args);
			}
			String taskName = this.names.get(method);
			if (taskName == null) {
				return objectMethod(proxy, method, args);
			}
			TaskRequest request = this.tasks.task(taskName).args((args != null) ? args : new Object[0]);
			if (!this.queue.isEmpty()) {
				request.queue(this.queue);
			}
			AsyncResult result = request.send();
			if (method.getReturnType() == AsyncResult.class) {
				return result;
			}
			return (method.getReturnType() == void.class) ? null : result.toCompletableFuture();
		}

		private Object objectMethod(Object proxy, Method method, @Nullable Object[] args) {
			return switch (method.getName()) {
				case "equals" -> args != null && proxy == args[0];
				case "hashCode" -> System.identityHashCode(proxy);
				case "toString" -> "TaskClient proxy for " + this.clientType.getName();
				default -> throw new UnsupportedOperationException(method.toString());
			};
		}

	}

}
