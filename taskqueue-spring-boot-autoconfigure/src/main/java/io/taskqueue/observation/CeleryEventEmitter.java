package io.taskqueue.observation;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import io.taskqueue.core.NodeInfo;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Emits Celery's events for this process ({@code taskqueue.events.enabled}): task-sent, -received,
 * -started, -succeeded, -failed, -retried, -revoked, and worker-online, -heartbeat (every 2 s) and
 * -offline, in Celery's event format, so Celery's monitoring tools (Flower, {@code celery events})
 * follow Java workers.
 */
public class CeleryEventEmitter implements TaskEventListener, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(CeleryEventEmitter.class);

	private static final double HEARTBEAT_SECONDS = 2.0;

	private final CeleryEventTransport transport;

	private final IntSupplier activeTasks;

	private final String hostname = NodeInfo.workerName();

	private final AtomicLong clock = new AtomicLong();

	private final AtomicLong processed = new AtomicLong();

	private @Nullable ScheduledExecutorService heartbeats;

	/**
	 * Create an emitter.
	 * @param transport where events are published
	 * @param activeTasks how many tasks this worker runs, for heartbeats
	 */
	public CeleryEventEmitter(CeleryEventTransport transport, IntSupplier activeTasks) {
		this.transport = transport;
		this.activeTasks = activeTasks;
	}

	@Override
	public void onEvent(TaskEvent event) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("uuid", event.taskId());
		String type = switch (event.state()) {
			case PENDING -> sent(event, fields);
			case RECEIVED -> {
				fields.put("name", event.taskName());
				yield "task-received";
			}
			case STARTED -> "task-started";
			case SUCCESS -> {
				this.processed.incrementAndGet();
				fields.put("result", "");
				fields.put("runtime", (event.runtime() != null) ? event.runtime().toNanos() / 1e9 : 0.0);
				yield "task-succeeded";
			}
			case FAILURE, RETRY -> {
				this.processed.incrementAndGet();
				fields.put("exception", (event.error() != null) ? event.error().type() + "('"
						+ event.error().message() + "')" : "");
				fields.put("traceback", "");
				yield (event.state() == io.taskqueue.core.TaskState.RETRY) ? "task-retried" : "task-failed";
			}
			case REVOKED -> {
				fields.put("terminated", false);
				fields.put("signum", null);
				fields.put("expired", false);
				yield "task-revoked";
			}
		};
		send(type, fields);
	}

	private String sent(TaskEvent event, Map<String, Object> fields) {
		fields.put("name", event.taskName());
		fields.put("queue", event.queue());
		fields.put("exchange", "");
		fields.put("routing_key", event.queue());
		return "task-sent";
	}

	private void send(String type, Map<String, Object> fields) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("hostname", this.hostname);
		event.put("utcoffset", 0);
		event.put("pid", NodeInfo.pid());
		event.put("clock", this.clock.incrementAndGet());
		event.putAll(fields);
		event.put("timestamp", System.currentTimeMillis() / 1000.0);
		event.put("type", type);
		try {
			this.transport.send(type.replace('-', '.'), event);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not publish the Celery event " + type + ": " + ex.getMessage());
		}
	}

	private void worker(String type) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("freq", HEARTBEAT_SECONDS);
		fields.put("active", this.activeTasks.getAsInt());
		fields.put("processed", this.processed.get());
		double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		fields.put("loadavg", List.of(load, load, load));
		fields.put("sw_ident", "taskqueue-java");
		fields.put("sw_ver", "0.1.0");
		fields.put("sw_sys", System.getProperty("os.name"));
		send(type, fields);
	}

	@Override
	public synchronized void start() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("taskqueue-events-");
		threads.setDaemon(true);
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(threads);
		scheduler.execute(() -> worker("worker-online"));
		scheduler.scheduleAtFixedRate(() -> worker("worker-heartbeat"), 2000, 2000, TimeUnit.MILLISECONDS);
		this.heartbeats = scheduler;
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService scheduler = this.heartbeats;
		this.heartbeats = null;
		if (scheduler != null) {
			scheduler.shutdownNow();
			worker("worker-offline");
		}
	}

	@Override
	public boolean isRunning() {
		return this.heartbeats != null;
	}

}
