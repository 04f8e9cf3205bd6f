package io.taskqueue.protocol;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Renders argument values the way Python's {@code repr()} would, for Celery's informational
 * {@code argsrepr}/{@code kwargsrepr} headers (shown by Flower, logs and events). Not a serializer.
 */
final class PythonRepr {

	private static final int MAX_LENGTH = 1024;

	private PythonRepr() {
	}

	static String args(Collection<?> args) {
		StringBuilder out = new StringBuilder("(");
		join(args, out);
		if (args.size() == 1) {
			out.append(',');
		}
		return truncate(out.append(')'));
	}

	static String kwargs(Map<String, ?> kwargs) {
		StringBuilder out = new StringBuilder();
		append(kwargs, out);
		return truncate(out);
	}

	private static void append(@Nullable Object value, StringBuilder out) {
		if (out.length() > MAX_LENGTH) {
			return;
		}
		if (value == null) {
			out.append("None");
		}
		else if (value instanceof Boolean bool) {
			out.append(bool ? "True" : "False");
		}
		else if (value instanceof Number || value instanceof Character) {
			out.append(value);
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
			while (entries.hasNext()) {
				Map.Entry<?, ?> entry = entries.next();
				append(entry.getKey(), out);
				out.append(": ");
				append(entry.getValue(), out);
				if (entries.hasNext()) {
					out.append(", ");
				}
			}
			out.append('}');
		}
		else if (value instanceof Collection<?> collection) {
			out.append('[');
			join(collection, out);
			out.append(']');
		}
		else if (value instanceof CharSequence text) {
			out.append('\'').append(text.toString().replace("\\", "\\\\").replace("'", "\\'")).append('\'');
		}
		else {
			out.append('<').append(value.getClass().getSimpleName()).append('>');
		}
	}

	private static void join(Collection<?> values, StringBuilder out) {
		Iterator<?> iterator = values.iterator();
		while (iterator.hasNext()) {
			append(iterator.next(), out);
			if (iterator.hasNext()) {
				out.append(", ");
			}
		}
	}

	private static String truncate(StringBuilder out) {
		return (out.length() > MAX_LENGTH) ? out.substring(0, MAX_LENGTH - 3) + "..." : out.toString();
	}

}
