package io.taskqueue.result.redis;

import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * The reply channel of one process. Producers stamp its reply address on every message
 * ({@code reply_to}), and taskqueue workers announce each ready state of such a task on
 * {@code taskqueue-reply-<reply_to>} as well as on Celery's per-task channel, so that a caller waiting
 * for a task it sent costs no {@code SUBSCRIBE} and {@code UNSUBSCRIBE} of its own: the process is
 * subscribed to its reply channel once.
 *
 * <p>This class keeps what the waiting side needs to decide whether a reply will come:
 * <ul>
 * <li>the tasks this process sent recently and has had no reply for; a waiter for one of those waits
 * for the reply;</li>
 * <li>replies that came before anyone waited (the worker can beat the sender's own thread), handed to
 * the first waiter;</li>
 * <li>the waiters still waiting after one or two ticks: the task may run on a worker that does not
 * announce replies (Python Celery) or the reply may have been lost in a reconnect, so those fall back
 * to the per-task subscription, which re-reads the stored state;</li>
 * <li>the names of tasks last found ready without a reply: later waits for tasks of those names
 * subscribe at once, so only the first call of a task that Python workers serve pays the
 * fallback's delay.</li>
 * </ul>
 * Each of these is kept in two generations that a {@link #tick} turns over, so forgetting costs
 * nothing per task. Forgetting never loses a result: a task that is no longer remembered as sent is
 * awaited through its own subscription, as any other task.
 */
final class ReplyChannel {

	static final String PREFIX = "taskqueue-reply-";

	/** Ticks that the sent tasks and early replies are remembered for (between this and twice as many). */
	private static final int MEMORY_TICKS = 10;

	/** Most task names remembered as served by workers that announce no replies (then forgotten). */
	private static final int MAX_SILENT_TASKS = 1_000;

	/**
	 * Most sent tasks and early replies one generation holds, should the ticks stall (a hung Redis
	 * call on their thread); past it a wait subscribes to its task's own channel, as for any task.
	 */
	private static final int MAX_REMEMBERED = 200_000;

	private final String replyTo = UUID.randomUUID().toString();

	private final String channel = channelOf(this.replyTo);

	/** Task ids of sent tasks, to their task names. */
	private volatile Generations<Map<String, String>> sent = new Generations<>(new ConcurrentHashMap<>(),
			new ConcurrentHashMap<>());

	private volatile Generations<Map<String, String>> early = new Generations<>(new ConcurrentHashMap<>(),
			new ConcurrentHashMap<>());

	private volatile Generations<Queue<String>> waiting = new Generations<>(new ConcurrentLinkedQueue<>(),
			new ConcurrentLinkedQueue<>());

	private final Set<String> silentTasks = ConcurrentHashMap.newKeySet();

	private int ticks;

	/**
	 * The reply address producers of this process stamp on their messages.
	 * @return the address
	 */
	String replyTo() {
		return this.replyTo;
	}

	/**
	 * The channel this process subscribes to for its replies.
	 * @return the channel name
	 */
	String channel() {
		return this.channel;
	}

	/**
	 * The channel workers announce a ready state on, for a task sent with the given reply address.
	 * @param replyTo the task's {@code reply_to}
	 * @return the channel name
	 */
	static String channelOf(String replyTo) {
		return PREFIX + replyTo;
	}

	/**
	 * Remember that this process sent a task, if the task's replies come here (a workflow step that a
	 * worker publishes replies to that worker) and its reply did not come already.
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param replyTo the reply address of the task's message, if known
	 */
	void sent(String taskId, String taskName, @Nullable String replyTo) {
		Generations<Map<String, String>> sent = this.sent;
		if (!this.replyTo.equals(replyTo) || sent.current().size() >= MAX_REMEMBERED) {
			return;
		}
		sent.current().put(taskId, taskName);
		if (find(this.early, taskId) != null) {
			forgetSent(taskId);
		}
	}

	/**
	 * Take a reply off the reply channel and keep it for a later waiter; a caller that finds the task
	 * awaited now {@link #claim claims} it.
	 * @param message the message as published
	 * @return the reply, or {@code null} for a malformed message
	 */
	@Nullable Reply received(String message) {
		int newline = message.indexOf('\n');
		if (newline <= 0) {
			return null;
		}
		Reply reply = new Reply(message.substring(0, newline), message.substring(newline + 1));
		// Kept before the caller looks at the waiters: a waiter registered meanwhile finds it in claim().
		Map<String, String> early = this.early.current();
		if (early.size() < MAX_REMEMBERED) {
			early.put(reply.taskId(), reply.json());
		}
		String taskName = forgetSent(reply.taskId());
		if (taskName != null) {
			this.silentTasks.remove(taskName);
		}
		return reply;
	}

	/**
	 * Take the reply that came before anyone waited for the task, if any.
	 * @param taskId the task id
	 * @return the state as stored, or {@code null}
	 */
	@Nullable String claim(String taskId) {
		return remove(this.early, taskId);
	}

	/**
	 * Whether a reply is still to come for a task: this process sent it recently and has had none,
	 * and the last task of that name ready without a reply did not come first (Python workers serve
	 * it: waiting for its reply would only delay the fallback).
	 * @param taskId the task id
	 * @return {@code true} if so
	 */
	boolean expectsReply(String taskId) {
		String taskName = find(this.sent, taskId);
		return taskName != null && !this.silentTasks.contains(taskName);
	}

	/**
	 * Record that a task this process sent was found ready on its own channel with no reply before
	 * it (workers announce the reply first), so tasks of that name are awaited on their own channels
	 * at once, until a reply for one comes again.
	 * @param taskId the task id
	 */
	void readyWithoutReply(String taskId) {
		String taskName = forgetSent(taskId);
		if (taskName != null) {
			if (this.silentTasks.size() >= MAX_SILENT_TASKS) {
				this.silentTasks.clear();
			}
			this.silentTasks.add(taskName);
		}
	}

	/**
	 * Record that a waiter waits for the reply of a task.
	 * @param taskId the task id
	 */
	void awaitReply(String taskId) {
		this.waiting.current().add(taskId);
	}

	/**
	 * Turn the generations over: hand the tasks waited for since before the previous tick that still
	 * have waiters to {@code fallBack}, and every few ticks forget old sent tasks and unclaimed replies.
	 * Called from one thread at a time.
	 * @param awaited whether a task still has waiters
	 * @param fallBack subscribes to a task's own channel
	 */
	void tick(Predicate<String> awaited, Consumer<String> fallBack) {
		Generations<Queue<String>> waiting = this.waiting;
		this.waiting = new Generations<>(new ConcurrentLinkedQueue<>(), waiting.current());
		for (String taskId : waiting.previous()) {
			if (awaited.test(taskId)) {
				fallBack.accept(taskId);
			}
		}
		if (++this.ticks % MEMORY_TICKS == 0) {
			this.sent = new Generations<>(new ConcurrentHashMap<>(), this.sent.current());
			this.early = new Generations<>(new ConcurrentHashMap<>(), this.early.current());
		}
	}

	private @Nullable String forgetSent(String taskId) {
		return remove(this.sent, taskId);
	}

	private static @Nullable String find(Generations<Map<String, String>> generations, String taskId) {
		String current = generations.current().get(taskId);
		return (current != null) ? current : generations.previous().get(taskId);
	}

	private static @Nullable String remove(Generations<Map<String, String>> generations, String taskId) {
		String current = generations.current().remove(taskId);
		String previous = generations.previous().remove(taskId);
		return (current != null) ? current : previous;
	}

	/**
	 * A state announced on the reply channel.
	 * @param taskId the task id
	 * @param json the state as stored
	 */
	record Reply(String taskId, String json) {
	}

	private record Generations<T>(T current, T previous) {
	}

}
