package io.taskqueue.benchmarks;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.Channel;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.rabbit.DeferringSocketFactory;
import io.taskqueue.broker.rabbit.RabbitQueueOptions;
import io.taskqueue.broker.rabbit.RabbitTaskBroker;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.protocol.TaskMessage;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;

/**
 * What {@code taskqueue.rabbit.combine-writes} saves: the RabbitMQ broker's {@code publishAll} in
 * batches of {@code --window} echo-task messages from {@code --publishers} threads, with the sockets
 * that let a batch share writes and with plain ones, in interleaved rounds on fresh queues; one
 * plain-client consumer (a prefetch of 256, a multiple acknowledgement per 32) drains each queue.
 *
 * <pre>
 * java -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.taskqueue.benchmarks.RabbitPublishWrites \
 *     --messages=40000 --publishers=2 --window=64 --rounds=5
 * </pre>
 *
 * Prints one JSON object: per mode, the median over the rounds of messages per second and of the CPU
 * per message of this JVM (publishers and consumer) and of RabbitMQ, and each round's figures in the
 * order they ran ({@code combined_rounds}, {@code plain_rounds}; round i of each ran as a pair).
 */
public final class RabbitPublishWrites {

	private final int messages;

	private final int publishers;

	private final int window;

	private RabbitPublishWrites(int messages, int publishers, int window) {
		this.messages = messages;
		this.publishers = publishers;
		this.window = window;
	}

	public static void main(String[] args) throws Exception {
		Map<String, Integer> values = new LinkedHashMap<>();
		values.put("messages", 40_000);
		values.put("publishers", 2);
		values.put("window", 64);
		values.put("rounds", 5);
		for (String arg : args) {
			String name = arg.replaceFirst("^--", "").replaceFirst("=.*", "");
			if (!values.containsKey(name)) {
				throw new IllegalArgumentException("Unknown argument " + arg + "; takes --messages=N --publishers=N"
						+ " --window=N --rounds=N");
			}
			values.put(name, Integer.parseInt(arg.substring(arg.indexOf('=') + 1)));
		}
		System.out.println(new JsonMapper().writeValueAsString(run(values.get("messages"), values.get("publishers"),
				values.get("window"), values.get("rounds"))));
	}

	/**
	 * Measure both modes: one unmeasured round of each, then {@code rounds} of each, interleaved.
	 * @param messages messages per round
	 * @param publishers publishing threads
	 * @param window messages per {@code publishAll}
	 * @param rounds measured rounds per mode
	 * @return the figures, with the medians of each mode under {@code combined} and {@code plain}, and
	 * each round's under {@code combined_rounds} and {@code plain_rounds}
	 * @throws Exception if RabbitMQ is not there or a round does not complete
	 */
	static Map<String, Object> run(int messages, int publishers, int window, int rounds) throws Exception {
		RabbitPublishWrites benchmark = new RabbitPublishWrites(messages, publishers, window);
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("benchmark", "rabbit-publish-writes");
		figures.put("messages", messages);
		figures.put("publishers", publishers);
		figures.put("window", window);
		figures.put("rounds", rounds);
		Map<Boolean, List<Map<String, Long>>> measured = Map.of(true, new ArrayList<>(), false, new ArrayList<>());
		benchmark.round(true);
		benchmark.round(false);
		for (int i = 0; i < rounds; i++) {
			// alternate which mode goes first, so that a drift of the machine favours neither
			for (boolean combined : (i % 2 == 0) ? new boolean[] { true, false } : new boolean[] { false, true }) {
				measured.get(combined).add(benchmark.round(combined));
			}
		}
		figures.put("combined", medians(measured.get(true)));
		figures.put("plain", medians(measured.get(false)));
		figures.put("combined_rounds", measured.get(true));
		figures.put("plain_rounds", measured.get(false));
		return figures;
	}

	private static Map<String, Long> medians(List<Map<String, Long>> rounds) {
		Map<String, Long> medians = new LinkedHashMap<>();
		for (String key : rounds.get(0).keySet()) {
			long[] sorted = rounds.stream().mapToLong((round) -> round.get(key)).sorted().toArray();
			medians.put(key, sorted[sorted.length / 2]);
		}
		return medians;
	}

	/** Publish {@link #messages} through a fresh broker and connection, and return the round's figures. */
	private Map<String, Long> round(boolean combined) throws Exception {
		String queue = "bench-writes-" + UUID.randomUUID();
		CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
		if (combined) {
			DeferringSocketFactory.installOn(connections.getRabbitConnectionFactory());
		}
		RabbitTaskBroker broker = new RabbitTaskBroker(connections, new RabbitQueueOptions("classic", null, null),
				Clock.systemUTC());
		try (Connection consumer = connections.createConnection()) {
			broker.declareQueue(queue);
			CountDownLatch consumed = new CountDownLatch(this.messages);
			RabbitCeiling.consume(consumer.createChannel(false), queue, consumed);
			CpuMeter cpu = new CpuMeter().add("client", ProcessHandle.current().pid())
				.add("rabbitmq", CpuMeter.findProcess("beam.smp"))
				.start();
			long start = System.nanoTime();
			publishAll(broker, queue);
			PublisherThreads.awaitConsumed(consumed);
			double seconds = (System.nanoTime() - start) / 1e9;
			Map<String, Long> figures = new LinkedHashMap<>(cpu.stop().perUnit(this.messages));
			figures.put("messages_per_s", Math.round(this.messages / seconds));
			System.err.printf("[writes] %s: %.0f messages/s, CPU %s µs per message%n",
					combined ? "combined" : "plain", this.messages / seconds, cpu.perUnit(this.messages));
			Channel admin = consumer.createChannel(false);
			admin.queueDelete(queue);
			admin.exchangeDelete(queue);
			admin.close();
			return figures;
		}
		finally {
			broker.destroy();
			connections.destroy();
		}
	}

	private void publishAll(RabbitTaskBroker broker, String queue) throws Exception {
		AtomicInteger next = new AtomicInteger();
		PublisherThreads.run("writes-publisher", this.publishers, (index) -> {
			CeleryMessageCodec codec = new CeleryMessageCodec(new JsonMapper(), 1024 * 1024, false);
			int first;
			while ((first = next.getAndAdd(this.window)) < this.messages) {
				List<OutboundMessage> batch = new ArrayList<>(this.window);
				for (int i = first; i < Math.min(first + this.window, this.messages); i++) {
					TaskMessage task = TaskMessage.builder("bench.echo", UUID.randomUUID().toString())
						.args(List.of(i))
						.build();
					batch.add(new OutboundMessage(queue, codec.encode(task), null));
				}
				broker.publishAll(batch);
			}
		});
	}

}
