package io.taskqueue.beat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.taskqueue.core.NodeInfo;
import io.taskqueue.core.TaskOperations;
import io.taskqueue.core.TaskRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Sends periodic tasks. Any number of application instances may run it: one leads (a lease in the
 * {@link BeatStore}), and every tick of every entry is claimed before it is sent and marked sent
 * after, so each is sent once; a leader that dies before sending leaves the tick to its successor.
 * Only a leader dying between sending and marking (a few microseconds) makes its successor send the
 * tick again, with the same task id, derived from the entry and fire time.
 *
 * <p>Wake-ups are scheduled on a Spring {@link ThreadPoolTaskScheduler} at the next fire time;
 * {@link #tick()} does the work and can be driven directly with a controllable clock.
 */
public class BeatScheduler implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(BeatScheduler.class);

	private final List<BeatEntry> entries;

	private final BeatStore store;

	private final TaskOperations tasks;

	private final BeatSettings settings;

	private final Clock clock;

	private final String instance = NodeInfo.producerName() + "-" + UUID.randomUUID();

	private volatile boolean leader;

	private volatile @Nullable ThreadPoolTaskScheduler scheduler;

	private final Object tickLock = new Object();

	/**
	 * Create a scheduler.
	 * @param entries the periodic tasks
	 * @param store where instances coordinate
	 * @param tasks where tasks are sent
	 * @param settings the coordination settings
	 * @param clock the clock ticks are computed with
	 */
	public BeatScheduler(List<BeatEntry> entries, BeatStore store, TaskOperations tasks, BeatSettings settings,
			Clock clock) {
		this.entries = List.copyOf(entries);
		this.store = store;
		this.tasks = tasks;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Renew or take leadership and, as leader, send every due tick. Safe to call from any thread
	 * (tests move a clock and tick); ticks of one scheduler never overlap.
	 */
	public void tick() {
		synchronized (this.tickLock) {
			tickNow();
		}
	}

	private void tickNow() {
		Instant now = this.clock.instant();
		this.leader = this.store.lead(this.instance, this.settings.lease());
		if (!this.leader) {
			return;
		}
		for (BeatEntry entry : this.entries) {
			try {
				fireDue(entry, now);
			}
			catch (RuntimeException ex) {
				logger.warn("Beat entry '" + entry.name() + "' could not be sent; retrying at the next wake-up: "
						+ ex.getMessage());
			}
		}
	}

	private void fireDue(BeatEntry entry, Instant now) {
		Instant last = this.store.lastRun(entry.name());
		if (last == null) {
			this.store.recordRun(entry.name(), now);
			return;
		}
		Instant graceStart = now.minus(this.settings.misfireGrace());
		List<Instant> missed = new ArrayList<>();
		List<Instant> onTime = new ArrayList<>();
		Instant lastMissed = null;
		Instant tick = entry.schedule().next(last);
		while (tick != null && !tick.isAfter(now)) {
			if (tick.isBefore(graceStart)) {
				lastMissed = tick;
				if (missed.size() < this.settings.misfireLimit()) {
					missed.add(tick);
				}
			}
			else {
				onTime.add(tick);
			}
			tick = entry.schedule().next(tick);
		}
		List<Instant> toSend = new ArrayList<>(switch (entry.misfirePolicy()) {
			case SKIP -> List.<Instant>of();
			case FIRE_ONCE -> (lastMissed != null) ? List.of(lastMissed) : List.<Instant>of();
			case FIRE_ALL -> missed;
		});
		toSend.addAll(onTime);
		for (Instant fire : toSend) {
			BeatStore.Claim claim = this.store.claim(entry.name(), fire, this.instance, this.settings.lease());
			if (claim == BeatStore.Claim.HELD) {
				return;
			}
			if (claim == BeatStore.Claim.CLAIMED) {
				send(entry, fire);
				this.store.markSent(entry.name(), fire, retention());
			}
			this.store.recordRun(entry.name(), fire);
		}
		if (lastMissed != null) {
			logger.warn("Beat entry '" + entry.name() + "' missed ticks from " + missed.get(0) + " to " + lastMissed
					+ "; misfire policy " + entry.misfirePolicy());
			this.store.recordRun(entry.name(), lastMissed);
		}
	}

	private void send(BeatEntry entry, Instant fire) {
		TaskRequest request = this.tasks.task(entry.task())
			.args(entry.args())
			.kwargs(entry.kwargs())
			.taskId(taskId(entry, fire))
			.header("beat_entry", entry.name())
			.header("beat_fire_time", fire.toString());
		if (entry.queue() != null) {
			request.queue(entry.queue());
		}
		if (entry.priority() != null) {
			request.priority(entry.priority());
		}
		if (entry.expires() != null) {
			request.expires(fire.plus(entry.expires()));
		}
		request.send();
	}

	/**
	 * Return the task id of an entry's tick: the same on every instance.
	 * @param entry the entry
	 * @param fire the fire time
	 * @return the task id
	 */
	public static String taskId(BeatEntry entry, Instant fire) {
		return UUID.nameUUIDFromBytes(("beat:" + entry.name() + ":" + fire.toEpochMilli())
			.getBytes(StandardCharsets.UTF_8)).toString();
	}

	private Duration retention() {
		Duration twice = this.settings.misfireGrace().multipliedBy(3);
		return (twice.compareTo(Duration.ofMinutes(10)) > 0) ? twice : Duration.ofMinutes(10);
	}

	/**
	 * Describe every entry: schedule, last and next fire time.
	 * @return the entries' status
	 */
	public List<EntryStatus> status() {
		Instant now = this.clock.instant();
		return this.entries.stream().map((entry) -> {
			Instant last = this.store.lastRun(entry.name());
			Instant from = (last != null && last.isAfter(now)) ? last : now;
			return new EntryStatus(entry.name(), entry.task(), entry.schedule().describe(), last,
					entry.schedule().next(from), entry.misfirePolicy());
		}).toList();
	}

	/** @return whether this instance currently leads */
	public boolean isLeader() {
		return this.leader;
	}

	/** @return the entries */
	public List<BeatEntry> getEntries() {
		return this.entries;
	}

	@Override
	public synchronized void start() {
		if (this.scheduler != null) {
			return;
		}
		ThreadPoolTaskScheduler taskScheduler = new ThreadPoolTaskScheduler();
		taskScheduler.setThreadNamePrefix("taskqueue-beat-");
		taskScheduler.setDaemon(true);
		taskScheduler.setClock(this.clock);
		taskScheduler.initialize();
		this.scheduler = taskScheduler;
		taskScheduler.schedule(this::wake, this.clock.instant());
		logger.info("Beat started with entries " + this.entries.stream().map(BeatEntry::name).toList());
	}

	private void wake() {
		try {
			tick();
		}
		catch (RuntimeException ex) {
			logger.warn("Beat could not reach its store; retrying: " + ex.getMessage());
		}
		ThreadPoolTaskScheduler taskScheduler = this.scheduler;
		if (taskScheduler != null) {
			taskScheduler.schedule(this::wake, nextWake());
		}
	}

	private Instant nextWake() {
		Instant now = this.clock.instant();
		Instant wake = now.plus(this.settings.lease().dividedBy(3));
		if (this.leader) {
			for (BeatEntry entry : this.entries) {
				Instant next = entry.schedule().next(now);
				if (next != null && next.isBefore(wake)) {
					wake = next;
				}
			}
		}
		return wake;
	}

	@Override
	public synchronized void stop() {
		ThreadPoolTaskScheduler taskScheduler = this.scheduler;
		this.scheduler = null;
		if (taskScheduler != null) {
			taskScheduler.shutdown();
		}
		if (this.leader) {
			try {
				this.store.resign(this.instance);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not resign beat leadership", ex);
			}
			this.leader = false;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	/**
	 * One entry as the {@code tasks} endpoint shows it.
	 *
	 * @param name the entry name
	 * @param task the task it sends
	 * @param schedule the schedule
	 * @param lastRun the last tick handled, if any
	 * @param nextRun the next tick
	 * @param misfirePolicy the misfire policy
	 */
	public record EntryStatus(String name, String task, String schedule, @Nullable Instant lastRun,
			@Nullable Instant nextRun, MisfirePolicy misfirePolicy) {
	}

}
