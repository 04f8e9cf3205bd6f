package io.taskqueue.transaction;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.taskqueue.broker.Delivery;
import io.taskqueue.broker.inmemory.InMemoryTaskBroker;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.TaskPublishException;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.observation.TaskEventPublisher;
import io.taskqueue.protocol.CeleryMessageCodec;
import io.taskqueue.result.inmemory.InMemoryResultBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Sends made inside real PostgreSQL transactions (the local server, see {@code .ci/run}): published
 * after commit, never on rollback.
 */
class TransactionalSendIntegrationTests {

	private static final String URL = System.getProperty("taskqueue.test.postgres-url",
			"jdbc:postgresql://127.0.0.1:5432/test");

	private static final SimpleDriverDataSource dataSource = new SimpleDriverDataSource(new Driver(), URL, "postgres",
			"postgres");

	private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);

	private final TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

	private final InMemoryTaskBroker broker = new InMemoryTaskBroker();

	private final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonMapper(), Duration.ofHours(1),
			Clock.systemUTC());

	private final String email = UUID.randomUUID() + "@example.com";

	@BeforeAll
	static void createTable() {
		new JdbcTemplate(dataSource)
			.execute("create table if not exists taskqueue_tx_signups (email varchar(100) primary key)");
	}

	@Test
	void aCommittedSignupSendsExactlyOnceAndOnlyAfterTheCommit() throws InterruptedException {
		TaskTemplate tasks = template(TransactionalPublishing.AUTO);
		AsyncResult result = this.transaction.execute((status) -> {
			signUp();
			AsyncResult sent = tasks.send("emails.send_welcome", this.email);
			assertThat(queued()).as("nothing reaches the broker before the commit").isZero();
			assertThat(sent.id()).as("the result handle is usable at once").isNotBlank();
			return sent;
		});
		assertThat(signups()).isOne();
		List<Delivery> deliveries = this.broker.poll("celery", 10, Duration.ZERO);
		assertThat(deliveries).singleElement()
			.satisfies((delivery) -> assertThat(delivery.message().headers().get("id")).isEqualTo(result.id()));
		assertThat(result.exists()).isTrue();
	}

	@Test
	void aRolledBackSignupSendsNothing() {
		TaskTemplate tasks = template(TransactionalPublishing.AUTO);
		AsyncResult result = this.transaction.execute((status) -> {
			signUp();
			AsyncResult sent = tasks.send("emails.send_welcome", this.email);
			status.setRollbackOnly();
			return sent;
		});
		assertThat(signups()).isZero();
		assertThat(queued()).isZero();
		assertThat(result.exists()).as("a task that was never published is not recorded").isFalse();
	}

	@Test
	void anAsynchronousSendInsideATransactionCompletesOnlyOnceTheCommitPublishedIt() throws Exception {
		TaskTemplate tasks = template(TransactionalPublishing.AUTO);
		CompletableFuture<AsyncResult> sent = this.transaction.execute((status) -> {
			signUp();
			CompletableFuture<AsyncResult> handedOver = tasks.task("emails.send_welcome").args(this.email).sendAsync();
			assertThat(handedOver).as("not published before the commit").isNotDone();
			assertThat(queued()).isZero();
			return handedOver;
		});
		AsyncResult result = sent.get(10, TimeUnit.SECONDS);
		assertThat(this.broker.poll("celery", 10, Duration.ZERO)).singleElement()
			.satisfies((delivery) -> assertThat(delivery.message().headers().get("id")).isEqualTo(result.id()));
		assertThat(result.exists()).isTrue();
	}

	@Test
	void anAsynchronousSendInARolledBackTransactionFailsAndFreesItsUniqueKey() {
		TaskTemplate tasks = template(TransactionalPublishing.AUTO);
		CompletableFuture<AsyncResult> sent = this.transaction.execute((status) -> {
			signUp();
			status.setRollbackOnly();
			return tasks.task("emails.send_welcome").args(this.email).uniqueKey(this.email).sendAsync();
		});
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> sent.get(10, TimeUnit.SECONDS))
			.withCauseInstanceOf(TaskPublishException.class)
			.withMessageContaining("did not commit");
		assertThat(queued()).isZero();
		tasks.task("emails.send_welcome").args(this.email).uniqueKey(this.email).send();
		assertThat(queued()).as("the key was free for the next send").isOne();
	}

	@Test
	void aSignupThatThrowsSendsNothing() {
		TaskTemplate tasks = template(TransactionalPublishing.AUTO);
		assertThatIllegalStateException().isThrownBy(() -> this.transaction.executeWithoutResult((status) -> {
			signUp();
			tasks.send("emails.send_welcome", this.email);
			throw new IllegalStateException("payment declined");
		}));
		assertThat(signups()).isZero();
		assertThat(queued()).isZero();
	}

	@Test
	void sendsInsideOneTransactionArePublishedInTheOrderTheyWereMade() throws InterruptedException {
		TaskTemplate tasks = template(TransactionalPublishing.AUTO);
		List<String> ids = this.transaction.execute((status) -> List.of(tasks.send("first").id(),
				tasks.send("second").id(), tasks.send("third").id()));
		List<Object> published = this.broker.poll("celery", 10, Duration.ZERO)
			.stream()
			.map((delivery) -> delivery.message().headers().get("id"))
			.toList();
		assertThat(published).containsExactlyElementsOf(ids);
	}

	@Test
	void aRolledBackUniqueSendFreesItsKey() {
		TaskTemplate tasks = template(TransactionalPublishing.AUTO);
		AsyncResult rolledBack = this.transaction.execute((status) -> {
			AsyncResult sent = tasks.task("emails.send_welcome").uniqueKey(this.email).send();
			status.setRollbackOnly();
			return sent;
		});
		AsyncResult next = tasks.task("emails.send_welcome").uniqueKey(this.email).send();
		assertThat(next.id()).isNotEqualTo(rolledBack.id());
		assertThat(queued()).isOne();
		assertThat(tasks.task("emails.send_welcome").uniqueKey(this.email).send().id())
			.as("while the published one is queued, it holds the key")
			.isEqualTo(next.id());
	}

	@Test
	void sendsOutsideATransactionArePublishedAtOnce() {
		TaskTemplate tasks = template(TransactionalPublishing.AUTO);
		tasks.send("emails.send_welcome", this.email);
		assertThat(queued()).isOne();
	}

	@Test
	void neverPublishesAtOnceEvenWhenTheTransactionRollsBack() {
		TaskTemplate tasks = template(TransactionalPublishing.NEVER);
		this.transaction.executeWithoutResult((status) -> {
			tasks.send("emails.send_welcome", this.email);
			assertThat(queued()).isOne();
			status.setRollbackOnly();
		});
		assertThat(queued()).isOne();
	}

	@Test
	void onlyAlwaysHoldsBackSendsInASynchronizedScopeWithoutARealTransaction() {
		TransactionTemplate supports = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		supports.setPropagationBehavior(TransactionDefinition.PROPAGATION_SUPPORTS);
		TaskTemplate auto = template(TransactionalPublishing.AUTO);
		TaskTemplate always = template(TransactionalPublishing.ALWAYS);
		supports.executeWithoutResult((status) -> {
			auto.send("auto");
			always.send("always");
			assertThat(queued()).as("only the 'auto' send is published inside the scope").isOne();
		});
		assertThat(queued()).isEqualTo(2);
	}

	private TaskTemplate template(TransactionalPublishing mode) {
		TaskTemplate template = new TaskTemplate(this.broker, this.backend,
				new CeleryMessageCodec(new JsonMapper(), 1 << 20), List.of(), "celery", new TaskEventPublisher(List.of()),
				Clock.systemUTC());
		template.setPublishScheduler(new TransactionAwarePublishScheduler(mode));
		return template;
	}

	private void signUp() {
		this.jdbc.update("insert into taskqueue_tx_signups (email) values (?)", this.email);
	}

	private int signups() {
		Integer count = this.jdbc.queryForObject("select count(*) from taskqueue_tx_signups where email = ?",
				Integer.class, this.email);
		return (count != null) ? count : 0;
	}

	private long queued() {
		return this.broker.stats("celery").ready();
	}

}
