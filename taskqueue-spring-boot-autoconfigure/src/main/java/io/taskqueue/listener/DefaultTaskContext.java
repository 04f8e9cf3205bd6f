package io.taskqueue.listener;

import java.util.Map;

import io.taskqueue.broker.Delivery;
import io.taskqueue.core.TaskContext;
import io.taskqueue.protocol.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * The {@link TaskContext} of a task being executed from a delivered message.
 */
final class DefaultTaskContext implements TaskContext {

	private final TaskMessage message;

	private final Delivery delivery;

	DefaultTaskContext(TaskMessage message, Delivery delivery) {
		this.message = message;
		this.delivery = delivery;
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

}
