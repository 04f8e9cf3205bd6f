package io.taskqueue.listener;

import java.util.ArrayList;
import java.util.Collection;
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
 * <p>The consumed queues are the configured ones if any; otherwise the default queue, every queue
 * named by a listener and every queue a route points to. As a {@link TaskRouter} it sends tasks
 * implemented in this application to the queue their listener declares.
 */
public class TaskListenerEndpointRegistry implements SmartLifecycle, TaskRouter, Ordered {

	private static final Log logger = LogFactory.getLog(TaskListenerEndpointRegistry.class);

	private final Map<String, TaskListenerEndpoint> endpoints = new LinkedHashMap<>();

	private final Map<String, TaskQueueContainer> containers = new LinkedHashMap<>();

	private final List<String> configuredQueues;

	private final String defaultQueue;

	private final Collection<String> routedQueues;

	private final ObjectProvider<TaskContainerFactory> containerFactory;

	private volatile boolean running;

	/**
	 * Create a registry.
	 * @param configuredQueues the queues to consume, or empty to derive them
	 * @param defaultQueue the default queue
	 * @param routedQueues the queues configured routes point to
	 * @param containerFactory the factory of containers, looked up when the registry starts
	 */
	public TaskListenerEndpointRegistry(List<String> configuredQueues, String defaultQueue,
			Collection<String> routedQueues, ObjectProvider<TaskContainerFactory> containerFactory) {
		this.configuredQueues = List.copyOf(configuredQueues);
		this.defaultQueue = defaultQueue;
		this.routedQueues = List.copyOf(routedQueues);
		this.containerFactory = containerFactory;
	}

	/**
	 * Register an endpoint.
	 * @param endpoint the endpoint
	 * @throws IllegalStateException if another endpoint already has the same task name
	 */
	public synchronized void registerEndpoint(TaskListenerEndpoint endpoint) {
		TaskListenerEndpoint existing = this.endpoints.putIfAbsent(endpoint.name(), endpoint);
		if (existing != null) {
			throw new IllegalStateException("Task '" + endpoint.name() + "' has two @TaskListener methods: "
					+ existing.describe() + " (bean '" + existing.beanName() + "') and " + endpoint.describe()
					+ " (bean '" + endpoint.beanName() + "'); task names must be unique");
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
		this.endpoints.values().stream().map(TaskListenerEndpoint::queue).filter((queue) -> queue != null)
			.forEach(queues::add);
		queues.addAll(this.routedQueues);
		return queues;
	}

	/**
	 * Return the running containers.
	 * @return the containers, one per consumed queue
	 */
	public synchronized List<TaskQueueContainer> getContainers() {
		return new ArrayList<>(this.containers.values());
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
		toStop.forEach((container) -> container.stop(factory.getSettings().shutdownTimeout()));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
