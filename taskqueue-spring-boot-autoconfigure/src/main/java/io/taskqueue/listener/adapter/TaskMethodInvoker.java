package io.taskqueue.listener.adapter;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import io.taskqueue.core.TaskContext;
import io.taskqueue.listener.TaskListenerEndpoint;
import org.jspecify.annotations.Nullable;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.util.ReflectionUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Invokes a {@code @TaskListener} method with a message's arguments: positional arguments in
 * parameter order, keyword arguments by parameter name, each converted to the declared type (only
 * that type: no type named in a message is ever used), {@link TaskContext} injected.
 */
public final class TaskMethodInvoker {

	private final TaskListenerEndpoint endpoint;

	private final JsonMapper mapper;

	private final List<DataParameter> parameters = new ArrayList<>();

	private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

	private final int parameterCount;

	private final int contextIndex;

	private final boolean namesKnown;

	/**
	 * Create an invoker for an endpoint.
	 * @param endpoint the endpoint
	 * @param mapper the mapper that converts argument values
	 */
	public TaskMethodInvoker(TaskListenerEndpoint endpoint, JsonMapper mapper) {
		this.endpoint = endpoint;
		this.mapper = mapper;
		Parameter[] declared = endpoint.method().getParameters();
		// Kotlin classes (through kotlin-reflect) and classes compiled with -parameters have real names.
		String[] discovered = PARAMETER_NAMES.getParameterNames(endpoint.method());
		this.namesKnown = discovered != null;
		this.parameterCount = declared.length;
		int context = -1;
		for (int i = 0; i < declared.length; i++) {
			if (TaskContext.class.equals(declared[i].getType())) {
				context = i;
			}
			else {
				JavaType type = mapper.constructType(declared[i].getParameterizedType());
				String name = (discovered != null) ? discovered[i] : declared[i].getName();
				this.parameters.add(new DataParameter(i, name, type));
			}
		}
		this.contextIndex = context;
		ReflectionUtils.makeAccessible(endpoint.invocableMethod());
	}

	/**
	 * Bind the arguments and invoke the method.
	 * @param args the positional arguments
	 * @param kwargs the keyword arguments
	 * @param context the running task's context
	 * @return the method's return value
	 * @throws ArgumentBindingException if the arguments do not fit the method
	 * @throws Throwable whatever the method throws
	 */
	public @Nullable Object invoke(List<?> args, Map<String, ?> kwargs, TaskContext context) throws Throwable {
		Object[] values = bind(args, kwargs, context);
		Object value;
		try {
			value = this.endpoint.invocableMethod().invoke(this.endpoint.bean(), values);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
		return (value instanceof CompletionStage<?> stage) ? await(stage.toCompletableFuture()) : value;
	}

	/**
	 * Wait for a task that returned a future: it finishes when the future does, with its value or
	 * its exception; interrupting the worker thread (time limit, terminate) cancels the future.
	 */
	private static @Nullable Object await(CompletableFuture<?> future) throws Throwable {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			future.cancel(true);
			throw ex;
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			while (cause instanceof CompletionException && cause.getCause() != null) {
				cause = cause.getCause();
			}
			throw (cause != null) ? cause : ex;
		}
	}

	private Object[] bind(List<?> args, Map<String, ?> kwargs, TaskContext context) {
		if (args.size() > this.parameters.size()) {
			throw fail("takes " + this.parameters.size() + " argument(s) " + names() + " but received " + args.size()
					+ " positional argument(s)");
		}
		if (!kwargs.isEmpty() && !this.namesKnown) {
			throw fail("received keyword arguments " + kwargs.keySet() + " but its parameter names are not in the "
					+ "class file; compile with -parameters (Java, on by default with Spring Boot's Maven and "
					+ "Gradle plugins) or -java-parameters (Kotlin), or add kotlin-reflect");
		}
		Set<String> unknown = new LinkedHashSet<>(kwargs.keySet());
		this.parameters.forEach((parameter) -> unknown.remove(parameter.name));
		if (!unknown.isEmpty()) {
			throw fail("got unexpected keyword argument(s) " + unknown + "; parameters are " + names());
		}
		Object[] values = new Object[this.parameterCount];
		if (this.contextIndex >= 0) {
			values[this.contextIndex] = context;
		}
		for (int i = 0; i < this.parameters.size(); i++) {
			DataParameter parameter = this.parameters.get(i);
			boolean positional = i < args.size();
			if (positional && kwargs.containsKey(parameter.name)) {
				throw fail("got multiple values for argument '" + parameter.name + "'");
			}
			if (!positional && !kwargs.containsKey(parameter.name)) {
				if (parameter.type.hasRawClass(Optional.class)) {
					values[parameter.index] = Optional.empty();
					continue;
				}
				throw fail("is missing argument '" + parameter.name + "' (parameter " + (parameter.index + 1) + " of "
						+ names() + ")");
			}
			Object value = positional ? args.get(i) : kwargs.get(parameter.name);
			values[parameter.index] = convert(parameter, value);
		}
		return values;
	}

	private @Nullable Object convert(DataParameter parameter, @Nullable Object value) {
		if (value == null) {
			if (parameter.type.isPrimitive()) {
				throw fail("argument '" + parameter.name + "' must not be null (declared " + parameter.type.getRawClass()
						+ ")");
			}
			return parameter.type.hasRawClass(Optional.class) ? Optional.empty() : null;
		}
		try {
			return this.mapper.convertValue(value, parameter.type);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			String message = (ex instanceof JacksonException jackson) ? jackson.getOriginalMessage() : ex.getMessage();
			throw new ArgumentBindingException("Task '" + this.endpoint.name() + "' (" + this.endpoint.describe()
					+ "): argument '" + parameter.name + "' cannot be converted from " + describe(value) + " to "
					+ parameter.type.toCanonical() + ": " + message, ex);
		}
	}

	private ArgumentBindingException fail(String problem) {
		return new ArgumentBindingException(
				"Task '" + this.endpoint.name() + "' (" + this.endpoint.describe() + ") " + problem);
	}

	private String names() {
		return this.parameters.stream().map((parameter) -> parameter.name).collect(Collectors.joining(", ", "(", ")"));
	}

	private static String describe(Object value) {
		String text = (value instanceof String) ? "\"" + value + "\"" : String.valueOf(value);
		if (text.length() > 80) {
			text = text.substring(0, 77) + "...";
		}
		String kind = (value instanceof Map) ? "object" : (value instanceof List) ? "array"
				: value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
		return text + " (" + kind + ")";
	}

	@Override
	public String toString() {
		return "TaskMethodInvoker[" + this.endpoint.name() + " -> " + this.endpoint.describe()
				+ Arrays.toString(this.endpoint.method().getParameterTypes()) + "]";
	}

	private record DataParameter(int index, String name, JavaType type) {

	}

}
