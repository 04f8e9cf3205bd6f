package io.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.taskqueue.core.UnknownQueuePolicy;
import io.taskqueue.protocol.DeliveryMode;
import io.taskqueue.transaction.TransactionalPublishing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for taskqueue. Broker connections come from Spring Boot's own
 * {@code spring.data.redis.*} and {@code spring.rabbitmq.*}; these are taskqueue's own concerns.
 */
@ConfigurationProperties("taskqueue")
public class TaskQueueProperties {

	/**
	 * Queue that tasks are sent to when no route matches.
	 */
	private String defaultQueue = "celery";

	/**
	 * Task-name patterns to queue names, first match wins; '*' matches any characters, e.g.
	 * "emails.*": emails.
	 */
	private Map<String, String> routes = new LinkedHashMap<>();

	private final Broker broker = new Broker();

	private final ResultBackend resultBackend = new ResultBackend();

	private final Worker worker = new Worker();

	private final Redis redis = new Redis();

	private final Rabbit rabbit = new Rabbit();

	private final Beat beat = new Beat();

	private final RemoteControl remoteControl = new RemoteControl();

	private final Events events = new Events();

	private final Producer producer = new Producer();

	public String getDefaultQueue() {
		return this.defaultQueue;
	}

	public void setDefaultQueue(String defaultQueue) {
		this.defaultQueue = defaultQueue;
	}

	public Map<String, String> getRoutes() {
		return this.routes;
	}

	public void setRoutes(Map<String, String> routes) {
		this.routes = routes;
	}

	public Broker getBroker() {
		return this.broker;
	}

	public ResultBackend getResultBackend() {
		return this.resultBackend;
	}

	public Worker getWorker() {
		return this.worker;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Rabbit getRabbit() {
		return this.rabbit;
	}

	public Beat getBeat() {
		return this.beat;
	}

	public RemoteControl getRemoteControl() {
		return this.remoteControl;
	}

	public Events getEvents() {
		return this.events;
	}

	public Producer getProducer() {
		return this.producer;
	}

	/**
	 * Producer settings.
	 */
	public static class Producer {

		/**
		 * When sends made inside a Spring transaction are published: 'auto' after a real transaction
		 * commits (never on rollback), 'always' also after transaction-synchronized scopes without a
		 * real transaction, 'never' at once.
		 */
		private TransactionalPublishing transactional = TransactionalPublishing.AUTO;

		/**
		 * What a send to a queue that no route, worker of this application or
		 * taskqueue.producer.queues entry names does: 'warn' (once per queue), 'fail' (before
		 * publishing) or 'ignore'.
		 */
		private UnknownQueuePolicy unknownQueue = UnknownQueuePolicy.WARN;

		/**
		 * Queues this application sends to explicitly that are consumed elsewhere (for example by
		 * Python workers), so sends to them are not reported as unknown.
		 */
		private List<String> queues = new ArrayList<>();

		/**
		 * Whether task messages carry the protocol headers that have no value (null, and timelimit
		 * [null, null]) as Celery's own producers send them. Celery workers read a header left out
		 * as a null one; leaving them out makes messages smaller and cheaper for RabbitMQ.
		 */
		private boolean emptyHeaders = false;

		/**
		 * Whether RabbitMQ keeps queued tasks across its own restart (persistent, written to disk) or
		 * only in memory (transient: a restart of RabbitMQ loses the tasks still queued, and RabbitMQ
		 * spends about a third less CPU per message). Celery's task_default_delivery_mode. Applies to
		 * every task message this application publishes, including the retries and next workflow
		 * steps its worker sends. Redis keeps messages alike either way.
		 */
		private DeliveryMode deliveryMode = DeliveryMode.PERSISTENT;

		/**
		 * The most messages sent with sendAsync that the broker has not taken yet (RabbitMQ has not
		 * confirmed, Redis has not stored). At this bound a further sendAsync waits for room in the
		 * calling thread, so a broker slower than its producers cannot make messages pile up in memory.
		 */
		private int maxPendingSends = 10_000;

		/**
		 * How long a sendAsync waits for room at taskqueue.producer.max-pending-sends before its
		 * future fails with a TaskPublishException; 0 fails it at once.
		 */
		private Duration pendingSendsWait = Duration.ofSeconds(10);

		public int getMaxPendingSends() {
			return this.maxPendingSends;
		}

		public void setMaxPendingSends(int maxPendingSends) {
			this.maxPendingSends = maxPendingSends;
		}

		public Duration getPendingSendsWait() {
			return this.pendingSendsWait;
		}

		public void setPendingSendsWait(Duration pendingSendsWait) {
			this.pendingSendsWait = pendingSendsWait;
		}

		public boolean isEmptyHeaders() {
			return this.emptyHeaders;
		}

		public void setEmptyHeaders(boolean emptyHeaders) {
			this.emptyHeaders = emptyHeaders;
		}

		public DeliveryMode getDeliveryMode() {
			return this.deliveryMode;
		}

		public void setDeliveryMode(DeliveryMode deliveryMode) {
			this.deliveryMode = deliveryMode;
		}

		public UnknownQueuePolicy getUnknownQueue() {
			return this.unknownQueue;
		}

		public void setUnknownQueue(UnknownQueuePolicy unknownQueue) {
			this.unknownQueue = unknownQueue;
		}

		public List<String> getQueues() {
			return this.queues;
		}

		public void setQueues(List<String> queues) {
			this.queues = queues;
		}

		public TransactionalPublishing getTransactional() {
			return this.transactional;
		}

		public void setTransactional(TransactionalPublishing transactional) {
			this.transactional = transactional;
		}

	}

	/**
	 * Celery event settings.
	 */
	public static class Events {

		/**
		 * Whether this process emits Celery's task and worker events, for Flower and 'celery events'.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Remote-control settings.
	 */
	public static class RemoteControl {

		/**
		 * Whether workers answer Celery's remote control ('celery inspect ping', 'registered',
		 * 'active') and apply its revoke broadcasts.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Broker settings.
	 */
	public static class Broker {

		/**
		 * Broker that carries task messages. The in-memory broker keeps tasks in this JVM only.
		 */
		private BrokerType type = BrokerType.IN_MEMORY;

		public BrokerType getType() {
			return this.type;
		}

		public void setType(BrokerType type) {
			this.type = type;
		}

	}

	/**
	 * Result backend settings.
	 */
	public static class ResultBackend {

		/**
		 * Where task states and results are stored; 'none' disables results.
		 */
		private ResultBackendType type = ResultBackendType.IN_MEMORY;

		/**
		 * How long a task's state and result are kept after its last change.
		 */
		private Duration expires = Duration.ofDays(1);

		public ResultBackendType getType() {
			return this.type;
		}

		public void setType(ResultBackendType type) {
			this.type = type;
		}

		public Duration getExpires() {
			return this.expires;
		}

		public void setExpires(Duration expires) {
			this.expires = expires;
		}

	}

	/**
	 * Worker settings.
	 */
	public static class Worker {

		/**
		 * Whether this application consumes and executes tasks; disable for producer-only processes.
		 */
		private boolean enabled = true;

		/**
		 * Queues to consume. When empty: the default queue, every queue a @TaskListener names and
		 * every queue a route points to.
		 */
		private List<String> queues = new ArrayList<>();

		/**
		 * How many tasks of one queue run at the same time.
		 */
		private int concurrency = 8;

		/**
		 * How many messages per concurrency slot a worker may hold; 1 fetches only for free slots.
		 */
		private int prefetchMultiplier = 1;

		/**
		 * Longest time one poll of the broker blocks while waiting for a message.
		 */
		private Duration pollTimeout = Duration.ofSeconds(1);

		/**
		 * How long shutdown waits for running tasks before interrupting them.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		/**
		 * Largest message body accepted; larger messages are rejected without being parsed.
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(10);

		/**
		 * Whether tasks acknowledge their message after they finish, so a task whose worker dies runs
		 * again. False makes every task acknowledge when it starts (at most once).
		 */
		private boolean acksLate = true;

		/**
		 * Deliveries after which a message is dead-lettered instead of run again (a message that keeps
		 * killing workers); 0 for no cap. Classic RabbitMQ queues only tell first delivery from redelivery.
		 */
		private int maxDeliveries = 10;

		/**
		 * Hard time limit of tasks that declare none; unset for no limit.
		 */
		private Duration timeLimit;

		/**
		 * Soft time limit of tasks that declare none; unset for no limit.
		 */
		private Duration softTimeLimit;

		/**
		 * How often this worker announces itself to the cluster's worker registry (Redis when Redis
		 * is in use, this JVM otherwise); it drops out after three missed heartbeats.
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(10);

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public boolean isAcksLate() {
			return this.acksLate;
		}

		public void setAcksLate(boolean acksLate) {
			this.acksLate = acksLate;
		}

		public int getMaxDeliveries() {
			return this.maxDeliveries;
		}

		public void setMaxDeliveries(int maxDeliveries) {
			this.maxDeliveries = maxDeliveries;
		}

		public Duration getTimeLimit() {
			return this.timeLimit;
		}

		public void setTimeLimit(Duration timeLimit) {
			this.timeLimit = timeLimit;
		}

		public Duration getSoftTimeLimit() {
			return this.softTimeLimit;
		}

		public void setSoftTimeLimit(Duration softTimeLimit) {
			this.softTimeLimit = softTimeLimit;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getQueues() {
			return this.queues;
		}

		public void setQueues(List<String> queues) {
			this.queues = queues;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public int getPrefetchMultiplier() {
			return this.prefetchMultiplier;
		}

		public void setPrefetchMultiplier(int prefetchMultiplier) {
			this.prefetchMultiplier = prefetchMultiplier;
		}

		public Duration getPollTimeout() {
			return this.pollTimeout;
		}

		public void setPollTimeout(Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

	}

	/**
	 * Redis broker settings; the connection itself is Spring Boot's spring.data.redis.*.
	 */
	public static class Redis {

		/**
		 * How long a message taken by a worker that stopped renewing it (it died or lost its
		 * connection) waits before another worker gets it. Live workers renew their messages, so
		 * long tasks are never redelivered.
		 */
		private Duration visibilityTimeout = Duration.ofMinutes(5);

		/**
		 * Prefix of every broker key, as kombu's 'global_keyprefix' transport option.
		 */
		private String keyPrefix = "";

		public Duration getVisibilityTimeout() {
			return this.visibilityTimeout;
		}

		public void setVisibilityTimeout(Duration visibilityTimeout) {
			this.visibilityTimeout = visibilityTimeout;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

	}

	/**
	 * RabbitMQ broker settings; the connection itself is Spring Boot's spring.rabbitmq.*.
	 */
	public static class Rabbit {

		/**
		 * Type of the task queues taskqueue declares: 'classic' (what Celery declares) or 'quorum'
		 * (replicated; no per-message priorities).
		 */
		private String queueType = "classic";

		/**
		 * 'x-max-priority' of the task queues, enabling message priorities (higher first). Celery
		 * declares queues without it; an existing queue must be declared the same way everywhere.
		 */
		private Integer maxPriority;

		/**
		 * 'x-queue-version' of classic task queues: 2 is RabbitMQ's faster queue index (3.10+, the
		 * default from 3.13). Unset leaves it to the broker's default or a policy's 'queue-version',
		 * which Python workers need not know about; declared here, every producer and worker must
		 * declare the queue with the same value.
		 */
		private Integer queueVersion;

		/**
		 * Whether the publishes taskqueue sends together share socket writes (fewer system calls for
		 * producer and broker). Applies to the plain TCP connections of Spring Boot's RabbitMQ
		 * connection factory; TLS, NIO and Netty connections, a socket factory of the application's own
		 * and a connection factory bean of its own are left as they are.
		 */
		private boolean combineWrites = true;

		/**
		 * How long a publish waits for RabbitMQ's publisher confirm, or for a connection RabbitMQ
		 * blocks (a memory or disk alarm) to be unblocked, before the send fails. A message whose
		 * confirm did not come in time may still reach its queue once the alarm clears.
		 */
		private Duration confirmTimeout = Duration.ofSeconds(10);

		public String getQueueType() {
			return this.queueType;
		}

		public void setQueueType(String queueType) {
			this.queueType = queueType;
		}

		public Integer getMaxPriority() {
			return this.maxPriority;
		}

		public void setMaxPriority(Integer maxPriority) {
			this.maxPriority = maxPriority;
		}

		public Integer getQueueVersion() {
			return this.queueVersion;
		}

		public void setQueueVersion(Integer queueVersion) {
			this.queueVersion = queueVersion;
		}

		public boolean isCombineWrites() {
			return this.combineWrites;
		}

		public void setCombineWrites(boolean combineWrites) {
			this.combineWrites = combineWrites;
		}

		public Duration getConfirmTimeout() {
			return this.confirmTimeout;
		}

		public void setConfirmTimeout(Duration confirmTimeout) {
			this.confirmTimeout = confirmTimeout;
		}

	}

	/**
	 * Beat (periodic tasks) settings.
	 */
	public static class Beat {

		/**
		 * Whether this instance runs beat. Any number of instances may: each tick is sent once.
		 */
		private boolean enabled;

		/**
		 * How long beat leadership lasts unless renewed; a dead leader's successor takes over after it.
		 */
		private Duration lease = Duration.ofSeconds(10);

		/**
		 * Ticks younger than this are always sent (also after a failover); older missed ticks follow
		 * each entry's misfire policy.
		 */
		private Duration misfireGrace = Duration.ofMinutes(1);

		/**
		 * Most missed ticks the 'fire-all' misfire policy sends at once.
		 */
		private int misfireLimit = 100;

		/**
		 * Periodic tasks by entry name.
		 */
		private Map<String, Entry> schedule = new LinkedHashMap<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getLease() {
			return this.lease;
		}

		public void setLease(Duration lease) {
			this.lease = lease;
		}

		public Duration getMisfireGrace() {
			return this.misfireGrace;
		}

		public void setMisfireGrace(Duration misfireGrace) {
			this.misfireGrace = misfireGrace;
		}

		public int getMisfireLimit() {
			return this.misfireLimit;
		}

		public void setMisfireLimit(int misfireLimit) {
			this.misfireLimit = misfireLimit;
		}

		public Map<String, Entry> getSchedule() {
			return this.schedule;
		}

		public void setSchedule(Map<String, Entry> schedule) {
			this.schedule = schedule;
		}

		/**
		 * One periodic task.
		 */
		public static class Entry {

			/**
			 * Name of the task to send.
			 */
			private String task;

			/**
			 * Positional arguments.
			 */
			private List<Object> args = new ArrayList<>();

			/**
			 * Keyword arguments.
			 */
			private Map<String, Object> kwargs = new LinkedHashMap<>();

			/**
			 * Queue to send to; routed as usual when unset.
			 */
			private String queue;

			/**
			 * Message priority.
			 */
			private Integer priority;

			/**
			 * How long after its tick a sent task may still start.
			 */
			private Duration expires;

			/**
			 * Spring cron expression (six fields, seconds first); exclusive with 'every'.
			 */
			private String cron;

			/**
			 * Time zone of the cron expression.
			 */
			private String zone = "UTC";

			/**
			 * Fixed interval, ticking at multiples of it since the epoch; exclusive with 'cron'.
			 */
			private Duration every;

			/**
			 * What to do with ticks missed during downtime: 'skip', 'fire-once' or 'fire-all'.
			 */
			private io.taskqueue.beat.MisfirePolicy misfirePolicy = io.taskqueue.beat.MisfirePolicy.SKIP;

			public String getTask() {
				return this.task;
			}

			public void setTask(String task) {
				this.task = task;
			}

			public List<Object> getArgs() {
				return this.args;
			}

			public void setArgs(List<Object> args) {
				this.args = args;
			}

			public Map<String, Object> getKwargs() {
				return this.kwargs;
			}

			public void setKwargs(Map<String, Object> kwargs) {
				this.kwargs = kwargs;
			}

			public String getQueue() {
				return this.queue;
			}

			public void setQueue(String queue) {
				this.queue = queue;
			}

			public Integer getPriority() {
				return this.priority;
			}

			public void setPriority(Integer priority) {
				this.priority = priority;
			}

			public Duration getExpires() {
				return this.expires;
			}

			public void setExpires(Duration expires) {
				this.expires = expires;
			}

			public String getCron() {
				return this.cron;
			}

			public void setCron(String cron) {
				this.cron = cron;
			}

			public String getZone() {
				return this.zone;
			}

			public void setZone(String zone) {
				this.zone = zone;
			}

			public Duration getEvery() {
				return this.every;
			}

			public void setEvery(Duration every) {
				this.every = every;
			}

			public io.taskqueue.beat.MisfirePolicy getMisfirePolicy() {
				return this.misfirePolicy;
			}

			public void setMisfirePolicy(io.taskqueue.beat.MisfirePolicy misfirePolicy) {
				this.misfirePolicy = misfirePolicy;
			}

		}

	}

	/**
	 * The brokers taskqueue can use.
	 */
	public enum BrokerType {

		/** Redis, through Spring Data Redis and spring.data.redis.*. */
		REDIS,

		/** RabbitMQ, through Spring AMQP and spring.rabbitmq.*. */
		RABBIT,

		/** A broker inside this JVM, for a first run and tests. */
		IN_MEMORY

	}

	/**
	 * The result backends taskqueue can use.
	 */
	public enum ResultBackendType {

		/** Redis, in Celery's result layout. */
		REDIS,

		/** A backend inside this JVM, for a first run and tests. */
		IN_MEMORY,

		/** No results are stored. */
		NONE

	}

}
