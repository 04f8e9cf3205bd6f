package io.taskqueue.core;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.taskqueue.broker.TaskBroker;
import io.taskqueue.observation.TaskEventPublisher;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.result.inmemory.InMemoryResultBackend;
import tools.jackson.databind.json.JsonMapper;

import static org.mockito.Mockito.mock;

/**
 * A {@link TaskTemplate} on a mocked broker and the in-memory result backend, for tests of the
 * producer that decide what the broker does.
 */
final class ProducerFixture {

	final TaskBroker broker = mock(TaskBroker.class);

	final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonMapper(), Duration.ofHours(1),
			Clock.systemUTC());

	final TaskTemplate tasks = new TaskTemplate(this.broker, this.backend,
			new CeleryMessageCodec(new JsonMapper(), 1 << 20), List.of(), "celery", new TaskEventPublisher(List.of()),
			Clock.systemUTC());

}
