package io.taskqueue.listener;

import java.lang.reflect.Parameter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.taskqueue.core.TaskContext;
import io.taskqueue.core.UniqueKeyResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.expression.EvaluationContext;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;

/**
 * Resolves unique keys from the {@code unique} attribute of this application's
 * {@code @TaskListener} methods: the expression sees each parameter as a variable ({@code #email}),
 * bound from the send's positional and keyword arguments. Evaluation is limited to reading data and
 * calling methods on the arguments (no type references, constructors, static methods or beans).
 */
public class ListenerUniqueKeys implements UniqueKeyResolver {

	private final TaskListenerEndpointRegistry registry;

	private final SpelExpressionParser parser = new SpelExpressionParser();

	private final Map<String, Expression> expressions = new ConcurrentHashMap<>();

	/**
	 * Create a resolver.
	 * @param registry the registry holding this application's listeners
	 */
	public ListenerUniqueKeys(TaskListenerEndpointRegistry registry) {
		this.registry = registry;
	}

	@Override
	public @Nullable UniqueKey resolve(String taskName, List<?> args, Map<String, ?> kwargs) {
		TaskListenerEndpoint endpoint = this.registry.getEndpoint(taskName);
		String unique = (endpoint != null) ? endpoint.options().unique() : null;
		if (endpoint == null || unique == null) {
			return null;
		}
		EvaluationContext context = SimpleEvaluationContext.forReadOnlyDataBinding().withInstanceMethods().build();
		int position = 0;
		for (Parameter parameter : endpoint.method().getParameters()) {
			if (TaskContext.class.isAssignableFrom(parameter.getType())) {
				continue;
			}
			Object value = (position < args.size()) ? args.get(position) : kwargs.get(parameter.getName());
			context.setVariable(parameter.getName(), value);
			position++;
		}
		Object key;
		try {
			key = this.expressions.computeIfAbsent(unique, this.parser::parseExpression).getValue(context);
		}
		catch (EvaluationException ex) {
			throw new IllegalArgumentException("The unique key '" + unique + "' of task '" + taskName
					+ "' cannot be evaluated for arguments " + args + " " + kwargs + ": " + ex.getMessage(), ex);
		}
		if (key == null) {
			throw new IllegalArgumentException("The unique key '" + unique + "' of task '" + taskName
					+ "' is null for arguments " + args + " " + kwargs);
		}
		return new UniqueKey(key.toString(), endpoint.options().uniqueFor());
	}

}
