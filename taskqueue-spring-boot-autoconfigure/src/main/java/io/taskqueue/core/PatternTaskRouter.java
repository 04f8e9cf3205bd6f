package io.taskqueue.core;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.util.PatternMatchUtils;

/**
 * Routes tasks by name patterns ({@code "emails.*" -> "emails"}), the first matching pattern in
 * declaration order winning; {@code *} matches any run of characters. Backs {@code taskqueue.routes}.
 */
public class PatternTaskRouter implements TaskRouter, Ordered {

	private final Map<String, String> routes;

	/**
	 * Create a router.
	 * @param routes task-name patterns to queue names, in priority order
	 */
	public PatternTaskRouter(Map<String, String> routes) {
		this.routes = new LinkedHashMap<>(routes);
	}

	@Override
	public @Nullable String route(String taskName) {
		for (Map.Entry<String, String> route : this.routes.entrySet()) {
			if (PatternMatchUtils.simpleMatch(route.getKey(), taskName)) {
				return route.getValue();
			}
		}
		return null;
	}

	@Override
	public int getOrder() {
		return 0;
	}

}
