package io.taskqueue.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.protocol.TaskMessage;
import io.taskqueue.protocol.WireMessage;
import io.taskqueue.protocol.WireProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * RabbitMQ's own ceiling on this machine, as {@code redis-benchmark} is Redis's: messages of the size
 * and headers of an echo task's message (encoded by the codec, with the properties the RabbitMQ broker
 * sets), published persistent to a durable queue and consumed with manual acknowledgements by the
 * plain Java client, with nothing else around it: no combining of sends, no results, no worker. Two
 * producer modes: confirmed, where each publisher waits for the confirms of every {@code --window}
 * messages (1, the default, is what a synchronous {@code send} amounts to); and unconfirmed, where it
 * never waits, as Celery's producer publishes. With {@code --empty-headers=true} the messages also
 * carry the headers that have no value, as Celery's own producers send them.
 *
 * <pre>
 * java -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.taskqueue.benchmarks.RabbitCeiling \
 *     --messages=20000 --publishers=64 --window=1 --empty-headers=false
 * </pre>
 *
 * Prints one JSON object: messages per second and CPU per message (this JVM, RabbitMQ) per mode.
 */
public final class RabbitCeiling {

	private final int messages;

	private final int publishers;

	private final int window;

	private final boolean emptyHeaders;

	private final ConnectionFactory factory = new ConnectionFactory();

	private RabbitCeiling(int messages, int publishers, int window, boolean emptyHeaders) {
		this.messages = messages;
		this.publishers = publishers;
		this.window = window;
		this.emptyHeaders = emptyHeaders;
		this.factory.setHost("127.0.0.1");
		this.factory.setPort(5672);
	}

	public static void main(String[] args) throws Exception {
		int messages = 20_000;
		int publishers = 64;
		int window = 1;
		boolean emptyHeaders = false;
		for (String arg : args) {
			String value = arg.substring(arg.indexOf('=') + 1);
			if (arg.startsWith("--messages=")) {
				messages = Integer.parseInt(value);
			}
			else if (arg.startsWith("--publishers=")) {
				publishers = Integer.parseInt(value);
			}
			else if (arg.startsWith("--window=")) {
				window = Integer.parseInt(value);
			}
			else if (arg.startsWith("--empty-headers=")) {
				emptyHeaders = Boolean.parseBoolean(value);
			}
			else {
				throw new IllegalArgumentException(
						"Unknown argument " + arg + "; takes --messages=N --publishers=N --window=N --empty-headers=B");
			}
		}
		System.out.println(new JsonMapper().writeValueAsString(run(messages, publishers, window, emptyHeaders, 3)));
	}

	/**
	 * Measure both modes, after warm-up rounds of each.
	 * @param messages messages per round
	 * @param publishers publishing threads, each on a channel of its own
	 * @param window how many messages a publisher sends before it waits for their confirms
	 * @param emptyHeaders whether messages carry the headers that have no value
	 * @param warmupRounds unmeasured rounds of each mode first, for the JIT
	 * @return the figures
	 * @throws Exception if RabbitMQ is not there or a round does not complete
	 */
	static Map<String, Object> run(int messages, int publishers, int window, boolean emptyHeaders, int warmupRounds)
			throws Exception {
		RabbitCeiling ceiling = new RabbitCeiling(messages, publishers, window, emptyHeaders);
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("benchmark", "rabbit-ceiling");
		figures.put("messages", messages);
		figures.put("publishers", publishers);
		figures.put("window", window);
		figures.put("empty_headers", emptyHeaders);
		for (int round = 0; round < warmupRounds; round++) {
			ceiling.round(true, new LinkedHashMap<>());
			ceiling.round(false, new LinkedHashMap<>());
		}
		ceiling.round(true, figures);
		ceiling.round(false, figures);
		return figures;
	}

	/** Publish and consume {@link #messages} on a fresh queue and put the figures of the round. */
	private void round(boolean confirms, Map<String, Object> figures) throws Exception {
		String queue = "bench-ceiling-" + UUID.randomUUID();
		String mode = confirms ? "confirmed" : "unconfirmed";
		try (Connection connection = this.factory.newConnection("bench-ceiling")) {
			Channel admin = connection.createChannel();
			// durable, so messages are written as a task queue's are; removed with the connection if a round fails
			admin.queueDeclare(queue, true, false, true, null);
			CountDownLatch consumed = new CountDownLatch(this.messages);
			consume(connection.createChannel(), queue, consumed);
			CpuMeter cpu = new CpuMeter().add("client", ProcessHandle.current().pid())
				.add("rabbitmq", CpuMeter.findProcess("beam.smp"))
				.start();
			long start = System.nanoTime();
			AtomicInteger next = new AtomicInteger();
			PublisherThreads.run("ceiling-publisher", this.publishers, (index) -> {
				Channel channel = connection.createChannel();
				if (confirms) {
					channel.confirmSelect();
				}
				publish(channel, queue, next, confirms);
			});
			PublisherThreads.awaitConsumed(consumed);
			double seconds = (System.nanoTime() - start) / 1e9;
			cpu.stop();
			figures.put(mode + "_messages_per_s", Math.round(this.messages / seconds));
			figures.put(mode + "_cpu_us_per_message", cpu.perUnit(this.messages));
			System.err.printf("[ceiling] %s, %d publishers: %.0f messages/s, CPU %s µs per message%n", mode,
					this.publishers, this.messages / seconds, cpu.perUnit(this.messages));
			admin.queueDelete(queue);
		}
	}

	private void publish(Channel channel, String queue, AtomicInteger next, boolean confirms) throws Exception {
		CeleryMessageCodec codec = new CeleryMessageCodec(new JsonMapper(), 1024 * 1024, this.emptyHeaders);
		int i;
		int unconfirmed = 0;
		while ((i = next.getAndIncrement()) < this.messages) {
			TaskMessage task = TaskMessage.builder("bench.echo", UUID.randomUUID().toString()).args(List.of(i)).build();
			WireMessage message = codec.encode(task);
			channel.basicPublish("", queue, properties(message), message.body());
			if (confirms && ++unconfirmed == this.window) {
				channel.waitForConfirmsOrDie(10_000);
				unconfirmed = 0;
			}
		}
		if (confirms) {
			channel.waitForConfirmsOrDie(10_000);
		}
	}

	/** One consumer, as the worker has: a prefetch of 256 and one multiple acknowledgement per 32. */
	static void consume(Channel channel, String queue, CountDownLatch consumed) throws Exception {
		channel.basicQos(256);
		channel.basicConsume(queue, false, new DefaultConsumer(channel) {

			private int unacknowledged;

			@Override
			public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
					throws java.io.IOException {
				consumed.countDown();
				if (++this.unacknowledged == 32 || consumed.getCount() == 0) {
					channel.basicAck(envelope.getDeliveryTag(), true);
					this.unacknowledged = 0;
				}
			}

		});
	}

	private static AMQP.BasicProperties properties(WireMessage message) {
		WireProperties wire = message.properties();
		return new AMQP.BasicProperties.Builder().contentType(wire.contentType())
			.contentEncoding(wire.contentEncoding())
			.correlationId(wire.correlationId())
			.replyTo(wire.replyTo())
			.priority(0)
			.deliveryMode(2)
			.headers(message.headers())
			.build();
	}

}
