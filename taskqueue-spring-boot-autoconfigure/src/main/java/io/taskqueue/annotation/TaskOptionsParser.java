package io.taskqueue.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import io.taskqueue.listener.TaskOptions;
import io.taskqueue.ratelimit.RateLimit;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.StringUtils;

/**
 * Turns the attributes of a {@link TaskListener} into {@link TaskOptions}, resolving placeholders and
 * failing with a message that names the attribute and the method when a value is not valid.
 */
final class TaskOptionsParser {

	private final UnaryOperator<String> resolver;

	private final Method method;

	TaskOptionsParser(UnaryOperator<String> resolver, Method method) {
		this.resolver = resolver;
		this.method = method;
	}

	TaskOptions parse(TaskListener listener) {
		if (listener.maxRetries() < -1) {
			throw invalid("maxRetries", Integer.toString(listener.maxRetries()), "use -1 for no limit", null);
		}
		Duration timeLimit = optionalDuration("timeLimit", listener.timeLimit());
		Duration softTimeLimit = optionalDuration("softTimeLimit", listener.softTimeLimit());
		if (timeLimit != null && softTimeLimit != null && softTimeLimit.compareTo(timeLimit) >= 0) {
			throw invalid("softTimeLimit", listener.softTimeLimit(), "it must be shorter than timeLimit", null);
		}
		return new TaskOptions(listener.maxRetries(), duration("defaultRetryDelay", listener.defaultRetryDelay()),
				List.of(listener.autoRetryFor()), List.of(listener.dontAutoRetryFor()), listener.retryBackoff(),
				duration("retryBackoffMax", listener.retryBackoffMax()), listener.retryJitter(), listener.acksLate(),
				listener.rejectOnWorkerLost(), timeLimit, softTimeLimit, rateLimit(listener.rateLimit()),
				listener.ignoreResult(), listener.trackStarted(), unique(listener.unique()),
				duration("uniqueFor", listener.uniqueFor()));
	}

	private @Nullable String unique(String value) {
		String resolved = this.resolver.apply(value);
		if (!StringUtils.hasText(resolved)) {
			return null;
		}
		try {
			new SpelExpressionParser().parseExpression(resolved);
			return resolved;
		}
		catch (ParseException ex) {
			throw invalid("unique", resolved, "not a SpEL expression: " + ex.getMessage(), ex);
		}
	}

	private @Nullable Duration optionalDuration(String attribute, String value) {
		String resolved = this.resolver.apply(value);
		return StringUtils.hasText(resolved) ? duration(attribute, resolved) : null;
	}

	private Duration duration(String attribute, String value) {
		String resolved = this.resolver.apply(value);
		try {
			Duration duration = DurationStyle.detectAndParse(resolved);
			if (duration.isNegative()) {
				throw invalid(attribute, resolved, "it must not be negative", null);
			}
			return duration;
		}
		catch (IllegalArgumentException ex) {
			throw invalid(attribute, resolved, "use a duration such as \"200ms\", \"30s\" or \"5m\"", ex);
		}
	}

	private @Nullable RateLimit rateLimit(String value) {
		String resolved = this.resolver.apply(value);
		if (!StringUtils.hasText(resolved)) {
			return null;
		}
		try {
			return RateLimit.parse(resolved);
		}
		catch (IllegalArgumentException ex) {
			throw invalid("rateLimit", resolved, ex.getMessage(), ex);
		}
	}

	private IllegalStateException invalid(String attribute, String value, String hint,
			@Nullable Throwable cause) {
		return new IllegalStateException("@TaskListener on " + this.method.getDeclaringClass().getName() + "."
				+ this.method.getName() + ": invalid " + attribute + " \"" + value + "\": " + hint, cause);
	}

}
