package io.taskqueue.broker.inmemory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.taskqueue.broker.BrokerCapabilities;
import io.taskqueue.broker.DeadLetter;
import io.taskqueue.broker.Delivery;
import io.taskqueue.broker.OutboundMessage;
import io.taskqueue.broker.QueueStats;
import io.taskqueue.broker.TaskBroker;
import io.taskqueue.protocol.TaskMessage;
import io.taskqueue.protocol.WireMessage;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TaskBroker} inside this JVM: the embedded default for a first run and for tests of
 * applications. Messages live in memory only; they are not shared between processes and are lost
 * when the JVM stops.
 *
 * <p>Semantics match the real brokers: FIFO within a priority (higher priority first, as on
 * RabbitMQ; Redis serves lower numbers first), delayed messages held until due, in-flight messages
 * settled by ack/reject/dead-letter, redelivery counted.
 */
public class InMemoryTaskBroker implements TaskBroker {

	private static final BrokerCapabilities CAPABILITIES = new BrokerCapabilities(true, false, true, 255, false);

	private final Map<String, QueueState> queues = new ConcurrentHashMap<>();

	private final Map<Long, Entry> inFlight = new ConcurrentHashMap<>();

	private final AtomicLong sequence = new AtomicLong();

	private final Clock clock;

	/**
	 * Create a broker on the system clock.
	 */
	public InMemoryTaskBroker() {
		this(Clock.systemUTC());
	}

	/**
	 * Create a broker that reads due times from the given clock.
	 * @param clock the clock
	 */
	public InMemoryTaskBroker(Clock clock) {
		this.clock = clock;
	}

	@Override
	public BrokerCapabilities capabilities() {
		return CAPABILITIES;
	}

	@Override
	public void declareQueue(String queue) {
		queue(queue);
	}

	@Override
	public void publish(OutboundMessage message) {
		Entry entry = new Entry(message.queue(), message.message(), this.sequence.incrementAndGet(), 0,
				message.deliverAt());
		queue(message.queue()).add(entry, this.clock.instant());
	}

	@Override
	public List<Delivery> poll(String queue, int max, Duration timeout) throws InterruptedException {
		List<Entry> taken = queue(queue).take(max, timeout, this.clock);
		List<Delivery> deliveries = new ArrayList<>(taken.size());
		for (Entry entry : taken) {
			Entry delivered = entry.delivered();
			long tag = this.sequence.incrementAndGet();
			this.inFlight.put(tag, delivered);
			deliveries.add(new Delivery(queue, delivered.message, delivered.deliveries > 1, delivered.deliveries, tag));
		}
		return deliveries;
	}

	@Override
	public void ack(Delivery delivery) {
		this.inFlight.remove((Long) delivery.tag());
	}

	@Override
	public void reject(Delivery delivery, boolean requeue) {
		Entry entry = this.inFlight.remove((Long) delivery.tag());
		if (entry != null && requeue) {
			queue(entry.queue).requeue(entry);
		}
	}

	@Override
	public void deadLetter(Delivery delivery, String reason) {
		Entry entry = this.inFlight.remove((Long) delivery.tag());
		if (entry != null) {
			queue(entry.queue).deadLetters.add(new DeadLetter(entry.queue, entry.message, reason, this.clock.instant()));
		}
	}

	@Override
	public void renewLeases(Collection<Delivery> deliveries) {
	}

	@Override
	public QueueStats stats(String queue) {
		QueueState state = queue(queue);
		long inFlightCount = this.inFlight.values().stream().filter((entry) -> entry.queue.equals(queue)).count();
		return state.stats(inFlightCount, this.clock.instant());
	}

	@Override
	public long purge(String queue) {
		return queue(queue).purge();
	}

	@Override
	public List<DeadLetter> deadLetters(String queue, int limit) {
		List<DeadLetter> newestFirst = new ArrayList<>(queue(queue).deadLetters);
		java.util.Collections.reverse(newestFirst);
		return newestFirst.subList(0, Math.min(limit, newestFirst.size()));
	}

	@Override
	public boolean requeueDeadLetter(String queue, String taskId) {
		QueueState state = queue(queue);
		for (DeadLetter letter : state.deadLetters) {
			if (taskId.equals(letter.taskId()) && state.deadLetters.remove(letter)) {
				publish(new OutboundMessage(queue, letter.message(), null));
				return true;
			}
		}
		return false;
	}

	/**
	 * Give every in-flight message back to its queue, as a broker does when a consumer's connection
	 * drops without acknowledging.
	 * @return how many messages were given back
	 */
	public int requeueInFlight() {
		List<Long> tags = new ArrayList<>(this.inFlight.keySet());
		int count = 0;
		for (Long tag : tags) {
			Entry entry = this.inFlight.remove(tag);
			if (entry != null) {
				queue(entry.queue).requeue(entry);
				count++;
			}
		}
		return count;
	}

	/**
	 * Return the names of the queues this broker has seen, declared or published to.
	 * @return the queue names
	 */
	public Set<String> queueNames() {
		return Set.copyOf(this.queues.keySet());
	}

	/**
	 * Make waiting consumers read the clock again, so that delayed messages whose due time a
	 * controllable clock has just passed are delivered at once.
	 */
	public void wakeConsumers() {
		this.queues.values().forEach(QueueState::wake);
	}

	private QueueState queue(String name) {
		return this.queues.computeIfAbsent(name, (key) -> new QueueState(key));
	}

	private record Entry(String queue, WireMessage message, long sequence, int deliveries, @Nullable Instant deliverAt) {

		Entry delivered() {
			return new Entry(this.queue, this.message, this.sequence, this.deliveries + 1, this.deliverAt);
		}

		int priority() {
			Integer priority = this.message.properties().priority();
			return (priority != null) ? priority : 0;
		}

	}

	private static final class QueueState {

		private static final Comparator<Entry> READY_ORDER = Comparator.comparingInt(Entry::priority)
			.reversed()
			.thenComparingLong(Entry::sequence);

		private static final Comparator<Entry> DUE_ORDER = Comparator.comparing(Entry::deliverAt)
			.thenComparingLong(Entry::sequence);

		private final String name;

		private final ReentrantLock lock = new ReentrantLock();

		private final Condition changed = this.lock.newCondition();

		private final PriorityQueue<Entry> ready = new PriorityQueue<>(READY_ORDER);

		private final PriorityQueue<Entry> delayed = new PriorityQueue<>(DUE_ORDER);

		private final List<DeadLetter> deadLetters = new java.util.concurrent.CopyOnWriteArrayList<>();

		QueueState(String name) {
			this.name = name;
		}

		void add(Entry entry, Instant now) {
			this.lock.lock();
			try {
				if (entry.deliverAt != null && entry.deliverAt.isAfter(now)) {
					this.delayed.add(entry);
				}
				else {
					this.ready.add(entry);
				}
				this.changed.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}

		void requeue(Entry entry) {
			this.lock.lock();
			try {
				this.ready.add(new Entry(entry.queue, entry.message, -entry.sequence, entry.deliveries, null));
				this.changed.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}

		List<Entry> take(int max, Duration timeout, Clock clock) throws InterruptedException {
			long remaining = timeout.toNanos();
			this.lock.lockInterruptibly();
			try {
				while (true) {
					promoteDue(clock.instant());
					if (!this.ready.isEmpty()) {
						List<Entry> taken = new ArrayList<>(Math.min(max, this.ready.size()));
						while (taken.size() < max && !this.ready.isEmpty()) {
							taken.add(this.ready.poll());
						}
						return taken;
					}
					if (remaining <= 0) {
						return List.of();
					}
					long wait = remaining;
					Entry next = this.delayed.peek();
					if (next != null) {
						long untilDue = Duration.between(clock.instant(), next.deliverAt).toNanos();
						wait = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(wait, untilDue));
					}
					long before = System.nanoTime();
					this.changed.awaitNanos(wait);
					remaining -= System.nanoTime() - before;
				}
			}
			finally {
				this.lock.unlock();
			}
		}

		private void promoteDue(Instant now) {
			while (!this.delayed.isEmpty() && !this.delayed.peek().deliverAt.isAfter(now)) {
				this.ready.add(this.delayed.poll());
			}
		}

		void wake() {
			this.lock.lock();
			try {
				this.changed.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}

		private @Nullable Duration oldestAge(Instant now) {
			Entry oldest = null;
			for (Entry entry : this.ready) {
				if (oldest == null || entry.sequence < oldest.sequence) {
					oldest = entry;
				}
			}
			Instant sentAt = (oldest != null) ? TaskMessage.sentAt(oldest.message.headers()) : null;
			if (sentAt == null) {
				return null;
			}
			Duration age = Duration.between(sentAt, now);
			return age.isNegative() ? Duration.ZERO : age;
		}

		long purge() {
			this.lock.lock();
			try {
				long count = this.ready.size() + this.delayed.size();
				this.ready.clear();
				this.delayed.clear();
				return count;
			}
			finally {
				this.lock.unlock();
			}
		}

		QueueStats stats(long inFlight, Instant now) {
			this.lock.lock();
			try {
				promoteDue(now);
				return new QueueStats(this.name, this.ready.size(), this.delayed.size(), inFlight,
						this.deadLetters.size(), oldestAge(now));
			}
			finally {
				this.lock.unlock();
			}
		}

	}

}
