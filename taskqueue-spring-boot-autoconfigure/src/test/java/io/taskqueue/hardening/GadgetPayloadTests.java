package io.taskqueue.hardening;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.taskqueue.annotation.TaskListener;
import io.taskqueue.autoconfigure.TaskQueueTestConfigurations;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.core.TaskState;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.protocol.WireMessage;
import io.taskqueue.protocol.WireProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The known Jackson and fastjson gadget shapes, sent as task arguments: polymorphic type ids
 * ({@code @class}, {@code @type}), wrapper arrays naming a class, and class names aimed at JNDI and
 * XML-context gadgets. Arguments bind only to the declared parameter types, so an {@code Object}
 * parameter gets plain maps and lists, a typed one gets its type or a failure, and the class a
 * payload names is never initialized or instantiated.
 */
class GadgetPayloadTests {

	private static final String GADGET = Gadget.class.getName();

	private static final List<String> PAYLOADS = List.of(
			"{\"@class\": \"" + GADGET + "\", \"command\": \"touch /tmp/pwned\"}",
			"{\"@type\": \"" + GADGET + "\", \"command\": \"touch /tmp/pwned\"}",
			"[\"" + GADGET + "\", {\"command\": \"touch /tmp/pwned\"}]",
			"{\"@c\": \".Gadget\", \"command\": \"x\"}",
			"[\"com.sun.rowset.JdbcRowSetImpl\", {\"dataSourceName\": \"ldap://127.0.0.1:1389/x\", \"autoCommit\": true}]",
			"[\"org.springframework.context.support.ClassPathXmlApplicationContext\", \"http://127.0.0.1/evil.xml\"]",
			"{\"@class\": \"java.net.URL\", \"val\": \"http://127.0.0.1/\"}");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN)
		.withBean(Sinks.class);

	@Test
	void gadgetPayloadsBindAsPlainDataOrFailAndNoNamedClassIsLoaded() {
		this.runner.run((context) -> {
			TaskBroker broker = context.getBean(TaskBroker.class);
			TaskTemplate tasks = context.getBean(TaskTemplate.class);
			for (String payload : PAYLOADS) {
				for (String task : List.of("gadget.object", "gadget.map", "gadget.record")) {
					String id = UUID.randomUUID().toString();
					broker.publish(new OutboundMessage("celery", message(task, id, payload), null));
					await().atMost(Duration.ofSeconds(10)).until(() -> tasks.result(id).ready());
					TaskState state = tasks.result(id).state();
					if (!task.equals("gadget.object")) {
						assertThat(state).as(task + " " + payload).isIn(TaskState.SUCCESS, TaskState.FAILURE);
					}
					else {
						assertThat(state).as(task + " " + payload).isEqualTo(TaskState.SUCCESS);
						assertThat(tasks.result(id).get(Duration.ZERO)).as("plain data comes back")
							.isInstanceOfAny(Map.class, List.class);
					}
				}
			}
			assertThat(context.getBean(Sinks.class).received).allSatisfy((value) -> assertThat(value.getClass()
				.getName()).isIn(java.util.LinkedHashMap.class.getName(), java.util.ArrayList.class.getName(),
						Payload.class.getName()));
			assertThat(GadgetWitness.INITIALIZED).as("the gadget class was never initialized").isFalse();
			assertThat(GadgetWitness.INSTANTIATED).as("no gadget was ever created").isFalse();
		});
	}

	private static WireMessage message(String task, String id, String payload) {
		Map<String, Object> headers = Map.of("lang", "py", "task", task, "id", id, "root_id", id, "retries", 0);
		byte[] body = ("[[" + payload + "], {}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null, "
				+ "\"chord\": null}]").getBytes(StandardCharsets.UTF_8);
		return new WireMessage(headers, WireProperties.json(id, "", null), body);
	}

	record Payload(String command) {
	}

	static class Sinks {

		final List<Object> received = new java.util.concurrent.CopyOnWriteArrayList<>();

		@TaskListener(name = "gadget.object", maxRetries = 0)
		Object object(Object value) {
			this.received.add(value);
			return value;
		}

		@TaskListener(name = "gadget.map", maxRetries = 0)
		Object map(Map<String, Object> value) {
			this.received.add(value);
			return value;
		}

		@TaskListener(name = "gadget.record", maxRetries = 0)
		String record(Payload value) {
			this.received.add(value);
			return value.command();
		}

	}

}
