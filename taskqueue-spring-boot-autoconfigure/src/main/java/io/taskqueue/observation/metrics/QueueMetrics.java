package io.taskqueue.observation.metrics;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.taskqueue.broker.QueueStats;
import io.taskqueue.broker.TaskBroker;
import org.jspecify.annotations.Nullable;

/**
 * Gauges of each queue's state as the broker reports it: ready messages ({@code depth}), delayed,
 * in flight, dead letters, and the age of the oldest ready message in seconds where the broker can
 * tell. A scrape reads each queue's statistics from the broker at most once per {@code cacheFor}.
 */
public class QueueMetrics implements MeterBinder {

	private final TaskBroker broker;

	private final Supplier<Collection<String>> queues;

	private final long cacheNanos;

	private final Map<String, Sample> samples = new ConcurrentHashMap<>();

	/**
	 * Create the gauges.
	 * @param broker the broker to read statistics from
	 * @param queues the queues to report, read when bound
	 * @param cacheFor how long one reading of a queue's statistics is reused
	 */
	public QueueMetrics(TaskBroker broker, Supplier<Collection<String>> queues, Duration cacheFor) {
		this.broker = broker;
		this.queues = queues;
		this.cacheNanos = cacheFor.toNanos();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String queue : this.queues.get()) {
			gauge(registry, "taskqueue.queue.depth", "Messages ready to be consumed", queue, QueueStats::ready);
			gauge(registry, "taskqueue.queue.delayed", "Messages waiting for their eta", queue, QueueStats::delayed);
			gauge(registry, "taskqueue.queue.in.flight", "Messages delivered and not yet settled", queue,
					QueueStats::inFlight);
			gauge(registry, "taskqueue.queue.dead.letters", "Messages in the dead-letter store", queue,
					QueueStats::deadLettered);
			Gauge.builder("taskqueue.queue.oldest.age", this, (metrics) -> metrics.oldestAgeSeconds(queue))
				.description("Age of the oldest ready message, where the broker can tell")
				.baseUnit("seconds")
				.tag("queue", queue)
				.register(registry);
		}
	}

	private void gauge(MeterRegistry registry, String name, String description, String queue,
			ToDoubleFunction<QueueStats> value) {
		Gauge.builder(name, this, (metrics) -> {
			QueueStats stats = metrics.stats(queue);
			return (stats != null) ? value.applyAsDouble(stats) : Double.NaN;
		}).description(description).baseUnit("messages").tag("queue", queue).register(registry);
	}

	private double oldestAgeSeconds(String queue) {
		QueueStats stats = stats(queue);
		if (stats == null || stats.oldestAge() == null) {
			return (stats != null && stats.ready() == 0) ? 0 : Double.NaN;
		}
		return stats.oldestAge().toNanos() / 1e9;
	}

	private @Nullable QueueStats stats(String queue) {
		long now = System.nanoTime();
		Sample sample = this.samples.get(queue);
		if (sample != null && now - sample.readAt < this.cacheNanos) {
			return sample.stats;
		}
		try {
			QueueStats stats = this.broker.stats(queue);
			this.samples.put(queue, new Sample(stats, now));
			return stats;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private record Sample(QueueStats stats, long readAt) {
	}

}
