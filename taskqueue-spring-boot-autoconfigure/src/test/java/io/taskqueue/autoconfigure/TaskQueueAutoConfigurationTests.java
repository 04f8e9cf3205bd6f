package io.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.taskqueue.actuate.TaskQueueHealthIndicator;
import io.taskqueue.actuate.TasksEndpoint;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.broker.inmemory.InMemoryTaskBroker;
import io.taskqueue.core.PatternTaskRouter;
import io.taskqueue.core.PublishScheduler;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.listener.TaskContainerFactory;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.protocol.TaskMessage;
import io.taskqueue.result.DisabledResultBackend;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.inmemory.InMemoryResultBackend;
import io.taskqueue.transaction.TransactionAwarePublishScheduler;
import io.taskqueue.transaction.TransactionalPublishing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.ClassPathResource;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

@ExtendWith(OutputCaptureExtension.class)
class TaskQueueAutoConfigurationTests {

	private static final String EXPOSE_TASKS = "management.endpoints.web.exposure.include=tasks";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN);

	@Test
	void defaultsToTheInMemoryBrokerAndBackendWithOneWarning(CapturedOutput output) {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(InMemoryTaskBroker.class)
				.hasSingleBean(InMemoryResultBackend.class)
				.hasSingleBean(TaskTemplate.class)
				.hasSingleBean(TaskListenerEndpointRegistry.class);
			assertThat(output).containsOnlyOnce("taskqueue is using the in-memory broker and result backend");
		});
	}

	@Test
	void sendsWaitForTransactionsToCommitByDefault() {
		this.runner.run((context) -> assertThat(context.getBean(TransactionAwarePublishScheduler.class).getMode())
			.isEqualTo(TransactionalPublishing.AUTO));
	}

	@Test
	void transactionalPublishingIsConfigurable() {
		this.runner.withPropertyValues("taskqueue.producer.transactional=never")
			.run((context) -> assertThat(context.getBean(TransactionAwarePublishScheduler.class).getMode())
				.isEqualTo(TransactionalPublishing.NEVER));
	}

	@Test
	void withoutSpringTransactionsSendsArePublishedAtOnce() {
		this.runner.withClassLoader(new FilteredClassLoader(TransactionSynchronizationManager.class))
			.run((context) -> assertThat(context).hasSingleBean(TaskTemplate.class)
				.doesNotHaveBean(PublishScheduler.class));
	}

	@Test
	void theTemplatePublishesThroughTheUsersPublishScheduler() {
		List<Runnable> held = new ArrayList<>();
		this.runner.withPropertyValues("taskqueue.worker.enabled=false")
			.withBean(PublishScheduler.class, () -> (publication, discarded) -> held.add(publication))
			.run((context) -> {
				context.getBean(TaskTemplate.class).send("emails.send_welcome", "a@b.c");
				assertThat(context).doesNotHaveBean(TransactionAwarePublishScheduler.class);
				assertThat(held).hasSize(1);
				assertThat(context.getBean(TaskBroker.class).stats("celery").ready()).isZero();
				held.get(0).run();
				assertThat(context.getBean(TaskBroker.class).stats("celery").ready()).isOne();
			});
	}

	@Test
	void codecUsesTheApplicationsJsonMapper() {
		this.runner.run((context) -> assertThat(context.getBean(CeleryMessageCodec.class).mapper())
			.isSameAs(context.getBean(JsonMapper.class)));
	}

	@Test
	void codecLeavesOutEmptyHeadersUnlessConfiguredToSendThem() {
		TaskMessage message = TaskMessage.builder("t", "id-1").build();
		this.runner.run((context) -> assertThat(context.getBean(CeleryMessageCodec.class).encode(message).headers())
			.doesNotContainKeys("eta", "parent_id", "timelimit"));
		this.runner.withPropertyValues("taskqueue.producer.empty-headers=true")
			.run((context) -> assertThat(context.getBean(CeleryMessageCodec.class).encode(message).headers())
				.containsEntry("eta", null)
				.containsEntry("parent_id", null)
				.containsEntry("timelimit", Arrays.asList(null, null)));
	}

	@Test
	void codecSendsPersistentMessagesUnlessConfiguredTransient() {
		TaskMessage message = TaskMessage.builder("t", "id-1").build();
		this.runner.run((context) -> assertThat(
				context.getBean(CeleryMessageCodec.class).encode(message).properties().deliveryMode())
			.isEqualTo(2));
		this.runner.withPropertyValues("taskqueue.producer.delivery-mode=transient")
			.run((context) -> assertThat(
					context.getBean(CeleryMessageCodec.class).encode(message).properties().deliveryMode())
				.isEqualTo(1));
		this.runner.withPropertyValues("taskqueue.producer.delivery-mode=fast")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Failed to bind properties under 'taskqueue.producer.delivery-mode'"));
	}

	@Test
	void templateBoundsPendingAsynchronousSendsAsConfigured() {
		TaskBroker slowBroker = mock(TaskBroker.class);
		given(slowBroker.publishAsync(any(OutboundMessage.class))).willReturn(new CompletableFuture<>());
		this.runner.withBean(TaskBroker.class, () -> slowBroker)
			.withPropertyValues("taskqueue.producer.max-pending-sends=2", "taskqueue.producer.pending-sends-wait=0s")
			.run((context) -> {
				TaskTemplate tasks = context.getBean(TaskTemplate.class);
				assertThat(tasks.task("t").sendAsync()).isNotDone();
				assertThat(tasks.task("t").sendAsync()).isNotDone();
				assertThat(tasks.task("t").sendAsync()).isCompletedExceptionally();
				verify(slowBroker, times(2)).publishAsync(any(OutboundMessage.class));
			});
	}

	@Test
	void brokerBacksOffWhenUserDefinesTaskBroker(CapturedOutput output) {
		TaskBroker userBroker = mock(TaskBroker.class);
		this.runner.withBean(TaskBroker.class, () -> userBroker).run((context) -> {
			assertThat(context).doesNotHaveBean(InMemoryTaskBroker.class);
			assertThat(context.getBean(TaskBroker.class)).isSameAs(userBroker);
			assertThat(output).contains("using the in-memory result backend").doesNotContain("in-memory broker");
		});
	}

	@Test
	void resultBackendBacksOffWhenUserDefinesResultBackend() {
		ResultBackend userBackend = mock(ResultBackend.class);
		this.runner.withBean(ResultBackend.class, () -> userBackend).run((context) -> {
			assertThat(context).doesNotHaveBean(InMemoryResultBackend.class);
			assertThat(context.getBean(ResultBackend.class)).isSameAs(userBackend);
		});
	}

	@Test
	void templateBacksOffWhenUserDefinesTaskTemplate() {
		this.runner.withBean("myTemplate", TaskTemplate.class, () -> mock(TaskTemplate.class))
			.run((context) -> assertThat(context).getBean(TaskTemplate.class).isSameAs(context.getBean("myTemplate")));
	}

	@Test
	void resultBackendTypeNoneDisablesResults() {
		this.runner.withPropertyValues("taskqueue.result-backend.type=none")
			.run((context) -> assertThat(context).hasSingleBean(DisabledResultBackend.class));
	}

	@Test
	void workerCanBeDisabledForProducerOnlyProcesses() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false", EXPOSE_TASKS).run((context) -> {
			assertThat(context).doesNotHaveBean(TaskListenerEndpointRegistry.class)
				.hasSingleBean(TaskTemplate.class)
				.hasSingleBean(TasksEndpoint.class);
		});
	}

	@Test
	void workerPropertiesReachTheContainers() {
		this.runner
			.withPropertyValues("taskqueue.worker.concurrency=3", "taskqueue.worker.prefetch-multiplier=2",
					"taskqueue.worker.poll-timeout=250ms", "taskqueue.worker.shutdown-timeout=5s",
					"taskqueue.worker.queues=a,b")
			.run((context) -> {
				TaskContainerFactory.Settings settings = context.getBean(TaskContainerFactory.class).getSettings();
				assertThat(settings.concurrency()).isEqualTo(3);
				assertThat(settings.prefetchMultiplier()).isEqualTo(2);
				assertThat(settings.pollTimeout()).isEqualTo(Duration.ofMillis(250));
				assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(settings.virtualThreads()).isFalse();
				TaskListenerEndpointRegistry registry = context.getBean(TaskListenerEndpointRegistry.class);
				assertThat(registry.getQueues()).containsExactly("a", "b");
				assertThat(registry.getContainers()).extracting((container) -> container.getSlotCount())
					.containsExactly(6, 6);
			});
	}

	@Test
	void defaultQueueAndRoutesAreConfigurable() {
		this.runner.withPropertyValues("taskqueue.default-queue=jobs", "taskqueue.routes.[emails.*]=emails")
			.run((context) -> {
				assertThat(context.getBean(PatternTaskRouter.class).route("emails.send")).isEqualTo("emails");
				assertThat(context.getBean(PatternTaskRouter.class).route("other")).isNull();
				assertThat(context.getBean(TaskListenerEndpointRegistry.class).getQueues()).containsExactly("jobs");
			});
	}

	@Test
	void resultExpiryIsConfigurable() {
		this.runner.withPropertyValues("taskqueue.result-backend.expires=2h")
			.run((context) -> assertThat(context.getBean(TaskQueueProperties.class).getResultBackend().getExpires())
				.isEqualTo(Duration.ofHours(2)));
	}

	@Test
	void maxMessageSizeIsConfigurable() {
		this.runner.withPropertyValues("taskqueue.worker.max-message-size=1KB").run((context) -> {
			assertThat(context.getBean(TaskQueueProperties.class).getWorker().getMaxMessageSize().toBytes())
				.isEqualTo(1024);
		});
	}

	@Test
	void virtualThreadsFollowSpringThreadsVirtualEnabledWhereTheJvmHasThem() {
		this.runner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			boolean available = Runtime.version().feature() >= 21;
			assertThat(context.getBean(TaskContainerFactory.class).getSettings().virtualThreads()).isEqualTo(available);
		});
	}

	@Test
	void endpointAndHealthIndicatorAreRegisteredWithActuator() {
		this.runner.withPropertyValues(EXPOSE_TASKS)
			.run((context) -> assertThat(context).hasSingleBean(TasksEndpoint.class)
				.hasSingleBean(TaskQueueHealthIndicator.class));
	}

	@Test
	void endpointIsNotCreatedUnlessExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(TasksEndpoint.class));
	}

	@Test
	void endpointBacksOffWithoutActuator() {
		this.runner.withPropertyValues(EXPOSE_TASKS)
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TasksEndpoint.class).hasSingleBean(TaskTemplate.class));
	}

	@Test
	void healthIndicatorBacksOffWithoutSpringBootHealth() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueHealthIndicator.class));
	}

	@Test
	void healthIndicatorCanBeDisabled() {
		this.runner.withPropertyValues("management.health.taskqueue.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueHealthIndicator.class));
	}

	@Test
	void configurationMetadataIsGeneratedForIdeCompletion() throws Exception {
		ClassPathResource metadata = new ClassPathResource("META-INF/spring-configuration-metadata.json");
		assertThat(metadata.exists()).isTrue();
		String json = metadata.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		for (String key : List.of("taskqueue.default-queue", "taskqueue.routes", "taskqueue.broker.type",
				"taskqueue.result-backend.expires", "taskqueue.worker.concurrency", "taskqueue.worker.queues",
				"taskqueue.worker.max-message-size")) {
			assertThat(json).contains("\"" + key + "\"");
		}
		assertThat(json).contains("Whether this application consumes and executes tasks");
	}

}
