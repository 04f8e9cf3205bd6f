package io.taskqueue.listener;

import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;

import io.taskqueue.broker.Delivery;
import io.taskqueue.core.TaskContext;
import io.taskqueue.core.TaskRetryException;
import io.taskqueue.protocol.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * The {@link TaskContext} of a task being executed from a delivered message.
 */
final class DefaultTaskContext implements TaskContext {

	private final TaskMessage message;

	private final Delivery delivery;

	private final BiConsumer<String, Object> stateUpdater;

	private volatile boolean softTimeLimitExceeded;

	DefaultTaskContext(TaskMessage message, Delivery delivery, BiConsumer<String, Object> stateUpdater) {
		this.message = message;
		this.delivery = delivery;
		this.stateUpdater = stateUpdater;
	}

	@Override
	public String id() {
		return this.message.id();
	}

	@Override
	public String name() {
		return this.message.task();
	}

	@Override
	public int retries() {
		return this.message.retries();
	}

	@Override
	public String rootId() {
		return this.message.rootId();
	}

	@Override
	public @Nullable String parentId() {
		return this.message.parentId();
	}

	@Override
	public @Nullable String groupId() {
		return this.message.groupId();
	}

	@Override
	public String queue() {
		return this.delivery.queue();
	}

	@Override
	public boolean redelivered() {
		return this.delivery.redelivered();
	}

	@Override
	public Map<String, Object> headers() {
		return this.message.extraHeaders();
	}

	@Override
	public TaskRetryException retry(Throwable cause) {
		return new TaskRetryException(cause, null);
	}

	@Override
	public TaskRetryException retry(Throwable cause, Duration countdown) {
		return new TaskRetryException(cause, countdown);
	}

	@Override
	public void updateState(String state, Object meta) {
		this.stateUpdater.accept(state, meta);
	}

	@Override
	public boolean isSoftTimeLimitExceeded() {
		return this.softTimeLimitExceeded;
	}

	void softTimeLimitExceeded() {
		this.softTimeLimitExceeded = true;
	}

}
