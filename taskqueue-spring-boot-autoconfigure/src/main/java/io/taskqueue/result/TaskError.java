package io.taskqueue.result;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An exception as Celery records it: type name, message arguments and module (Java package).
 *
 * @param type the exception's class name ({@code exc_type}), e.g. {@code IllegalStateException}
 * @param message the exception's message, or {@code null}
 * @param module the module or package ({@code exc_module}), e.g. {@code java.lang} or {@code builtins}
 */
public record TaskError(String type, @Nullable String message, @Nullable String module) {

	/**
	 * Describe an exception thrown by a task.
	 * @param exception the exception
	 * @return the description
	 */
	public static TaskError of(Throwable exception) {
		Class<?> type = exception.getClass();
		String name = type.getName();
		String module = type.getPackageName();
		String simple = module.isEmpty() ? name : name.substring(module.length() + 1).replace('$', '.');
		return new TaskError(simple, exception.getMessage(), module.isEmpty() ? null : module);
	}

	/**
	 * Return the message as Celery's {@code exc_message} list of exception arguments.
	 * @return the arguments
	 */
	public List<String> messageArgs() {
		return (this.message != null) ? List.of(this.message) : List.of();
	}

	@Override
	public String toString() {
		String qualified = (this.module != null && !this.module.equals("builtins")) ? this.module + "." + this.type
				: this.type;
		return (this.message != null) ? qualified + ": " + this.message : qualified;
	}

}
