package io.taskqueue.result.inmemory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.taskqueue.result.AbstractResultBackendTests;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.TaskResult;
import io.taskqueue.testing.MutableClock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryResultBackendTests extends AbstractResultBackendTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	@Override
	protected ResultBackend createBackend() {
		return new InMemoryResultBackend(new JsonMapper(), Duration.ofMinutes(10), this.clock);
	}

	@Override
	protected void expireStoredResults() {
		this.clock.advance(Duration.ofMinutes(11));
	}

	@Test
	void storedValuesAreCopiedNotShared() {
		java.util.List<Object> value = new java.util.ArrayList<>(java.util.List.of(1));
		this.backend.store(TaskResult.success("copy", "t", value, Instant.now()));
		value.add(2);
		assertThat(this.backend.get("copy").result()).isEqualTo(java.util.List.of(1));
	}

	@Test
	void recordsAreConvertedToPlainJsonValues() {
		this.backend.store(TaskResult.success("record", "t", new Point(1, 2), Instant.now()));
		assertThat(this.backend.get("record").result()).isEqualTo(Map.of("x", 1, "y", 2));
	}

	record Point(int x, int y) {
	}

}
