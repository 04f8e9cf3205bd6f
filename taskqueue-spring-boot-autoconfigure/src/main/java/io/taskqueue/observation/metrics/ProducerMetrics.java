package io.taskqueue.observation.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.taskqueue.core.TaskTemplate;

/**
 * The producer's gauge: {@code taskqueue.producer.pending.sends}, the messages sent with
 * {@code sendAsync} that the broker has not taken yet. It stays near zero while the broker keeps
 * up; one that climbs towards {@code taskqueue.producer.max-pending-sends} means sends are about to
 * wait, then fail.
 */
public class ProducerMetrics implements MeterBinder {

	private final TaskTemplate template;

	/**
	 * Create the gauge.
	 * @param template the producer to report on
	 */
	public ProducerMetrics(TaskTemplate template) {
		this.template = template;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("taskqueue.producer.pending.sends", this.template, TaskTemplate::pendingSends)
			.description("Messages sent with sendAsync that the broker has not taken yet")
			.register(registry);
	}

}
