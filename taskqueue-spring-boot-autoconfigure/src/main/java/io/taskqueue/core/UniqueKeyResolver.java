package io.taskqueue.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Finds the unique key of a send that did not set one with {@link TaskRequest#uniqueKey}, for
 * example from the {@code unique} attribute of the task's {@code @TaskListener}.
 */
@FunctionalInterface
public interface UniqueKeyResolver {

	/**
	 * Return the unique key of a send.
	 * @param taskName the task name
	 * @param args the positional arguments
	 * @param kwargs the keyword arguments
	 * @return the key and how long it is held at most, or {@code null} if the send is not unique
	 */
	@Nullable UniqueKey resolve(String taskName, List<?> args, Map<String, ?> kwargs);

	/**
	 * A unique key.
	 * @param key the key, unique per task name
	 * @param holdFor the longest time the key is held
	 */
	record UniqueKey(String key, Duration holdFor) {
	}

}
