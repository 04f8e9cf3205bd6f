package io.taskqueue.listener;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.taskqueue.core.TaskRouter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;

/**
 * Holds every registered {@link TaskListenerEndpoint} and, as the worker's management handle,
 * runs one {@link TaskQueueContainer} per consumed queue while the application context runs.
 *
 * <p>The consumed queues are the configured ones if any; otherwise the default queue and the queue
 * of every task implemented here (the one its listener names, or the one a route sends it to). As a
 * {@link TaskRouter} it sends tasks implemented in this application to the queue their listener
 * declares.
 */
public class TaskListenerEndpointRegistry implements SmartLifecycle, TaskRouter, Ordered {

	private static final Log logger = LogFactory.getLog(TaskListenerEndpointRegistry.class);

	private final Map<String, TaskListenerEndpoint> endpoints = new LinkedHashMap<>();

	private final Map<String, TaskQueueContainer> containers = new LinkedHashMap<>();

	private final List<String> configuredQueues;

	private final String defaultQueue;

	private final TaskRouter routes;

	private final ObjectProvider<TaskContainerFactory> containerFactory;

	private volatile boolean running;

	/**
	 * Create a registry.
	 * @param configuredQueues the queues to consume, or empty to derive them
	 * @param defaultQueue the default queue
	 * @param routes the configured routes ({@code taskqueue.routes})
	 * @param containerFactory the factory of containers, looked up when the registry starts
	 */
	public TaskListenerEndpointRegistry(List<String> configuredQueues, String defaultQueue, TaskRouter routes,
			ObjectProvider<TaskContainerFactory> containerFactory) {
		this.configuredQueues = List.copyOf(configuredQueues);
		this.defaultQueue = defaultQueue;
		this.routes = routes;
		this.containerFactory = containerFactory;
	}

	/**
	 * Register an endpoint.
	 * @param endpoint the endpoint
	 * @throws DuplicateTaskListenerException if another endpoint already has the same task name
	 */
	public synchronized void registerEndpoint(TaskListenerEndpoint endpoint) {
		TaskListenerEndpoint existing = this.endpoints.putIfAbsent(endpoint.name(), endpoint);
		if (existing != null) {
			throw new DuplicateTaskListenerException(endpoint.name(),
					existing.describe() + " (bean '" + existing.beanName() + "')",
					endpoint.describe() + " (bean '" + endpoint.beanName() + "')");
		}
	}

	/**
	 * Return the endpoint of a task.
	 * @param taskName the task name
	 * @return the endpoint, or {@code null} if no listener implements the task
	 */
	public synchronized @Nullable TaskListenerEndpoint getEndpoint(String taskName) {
		return this.endpoints.get(taskName);
	}

	/**
	 * Return every registered endpoint.
	 * @return the endpoints in registration order
	 */
	public synchronized List<TaskListenerEndpoint> getEndpoints() {
		return List.copyOf(this.endpoints.values());
	}

	/**
	 * Return the registered task names, sorted.
	 * @return the task names
	 */
	public synchronized Set<String> getTaskNames() {
		return Collections.unmodifiableSet(new TreeSet<>(this.endpoints.keySet()));
	}

	/**
	 * Return the queues this worker consumes.
	 * @return the queue names
	 */
	public synchronized Set<String> getQueues() {
		if (!this.configuredQueues.isEmpty()) {
			return new LinkedHashSet<>(this.configuredQueues);
		}
		Set<String> queues = new LinkedHashSet<>();
		queues.add(this.defaultQueue);
		for (TaskListenerEndpoint endpoint : this.endpoints.values()) {
			String routed = this.routes.route(endpoint.name());
			if (endpoint.queue() != null) {
				queues.add(endpoint.queue());
			}
			else if (routed != null) {
				queues.add(routed);
			}
		}
		return queues;
	}

	/**
	 * Return the running containers.
	 * @return the containers, one per consumed queue
	 */
	public synchronized List<TaskQueueContainer> getContainers() {
		return new ArrayList<>(this.containers.values());
	}

	/**
	 * Return the container of a queue.
	 * @param queue the queue
	 * @return its running container, or {@code null} if this worker does not consume it
	 */
	public synchronized @Nullable TaskQueueContainer getContainer(String queue) {
		return this.containers.get(queue);
	}

	@Override
	public @Nullable String route(String taskName) {
		TaskListenerEndpoint endpoint = getEndpoint(taskName);
		return (endpoint != null) ? endpoint.queue() : null;
	}

	@Override
	public int getOrder() {
		return 100;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		TaskContainerFactory factory = this.containerFactory.getObject();
		for (String queue : getQueues()) {
			TaskQueueContainer container = this.containers.computeIfAbsent(queue, factory::createContainer);
			container.start();
		}
		this.running = true;
		logger.info("taskqueue worker consuming " + getQueues() + " with tasks " + getTaskNames());
	}

	@Override
	public void stop() {
		List<TaskQueueContainer> toStop;
		synchronized (this) {
			if (!this.running) {
				return;
			}
			this.running = false;
			toStop = new ArrayList<>(this.containers.values());
			this.containers.clear();
		}
		TaskContainerFactory factory = this.containerFactory.getObject();
		toStop.forEach(TaskQueueContainer::initiateStop);
		Instant deadline = Instant.now().plus(factory.getSettings().shutdownTimeout());
		toStop.forEach((container) -> container.awaitStop(deadline));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
