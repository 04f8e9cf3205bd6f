package io.taskqueue.benchmarks.jmh;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.protocol.TaskMessage;
import io.taskqueue.protocol.WireMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encoding a task message to Celery's wire form and decoding it back: the per-task CPU work of the
 * producer and the worker, without I/O. Run with {@code -prof gc} for allocation per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmarks {

	private CeleryMessageCodec codec;

	private TaskMessage message;

	private WireMessage wire;

	@Setup
	public void setUp() {
		this.codec = new CeleryMessageCodec(new JsonMapper(), 10 * 1024 * 1024);
		this.message = TaskMessage.builder("emails.send_welcome", UUID.randomUUID().toString())
			.args(List.of("ada@example.com", "Ada"))
			.kwargs(Map.of("locale", "en"))
			.origin("gen42@host")
			.header(TaskMessage.SENT_AT_HEADER, Instant.now().toString())
			.build();
		this.wire = this.codec.encode(this.message);
	}

	@Benchmark
	public WireMessage encode() {
		return this.codec.encode(this.message);
	}

	@Benchmark
	public TaskMessage decode() {
		return this.codec.decode(this.wire);
	}

}
