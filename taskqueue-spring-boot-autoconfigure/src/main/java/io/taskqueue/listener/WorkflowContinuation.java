package io.taskqueue.listener;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.taskqueue.core.CanvasSender;
import io.taskqueue.core.Lineage;
import io.taskqueue.core.Signature;
import io.taskqueue.core.TaskState;
import io.taskqueue.core.TaskTemplate;
import io.taskqueue.protocol.TaskMessage;
import io.taskqueue.result.ResultBackend;
import io.taskqueue.result.TaskError;
import io.taskqueue.result.TaskResult;
import org.jspecify.annotations.Nullable;

/**
 * What a worker does after a task, for the workflow it belongs to (Celery's section 3): publish its
 * callbacks and the next chain step on success; on any other final state (failure, revocation, time
 * limit, worker lost) fail the rest of the chain and publish its errbacks; and record chord members,
 * publishing the chord callback (or failing it with {@code ChordError}) when the last one finishes.
 */
final class WorkflowContinuation {

	private final TaskTemplate template;

	private final ResultBackend backend;

	private final Clock clock;

	WorkflowContinuation(TaskTemplate template, ResultBackend backend, Clock clock) {
		this.template = template;
		this.backend = backend;
		this.clock = clock;
	}

	void succeeded(TaskMessage message, @Nullable Object value) {
		List<Map<String, Object>> callbacks = message.embed().callbacks();
		if (callbacks != null) {
			for (Map<String, Object> callback : callbacks) {
				this.template.send(Signature.fromWire(callback),
						Lineage.after(value, message.id(), message.rootId(), List.of()));
			}
		}
		List<Map<String, Object>> chain = message.embed().chain();
		if (chain != null && !chain.isEmpty()) {
			Map<String, Object> next = chain.get(chain.size() - 1);
			List<Map<String, Object>> rest = new ArrayList<>(chain.subList(0, chain.size() - 1));
			this.template.send(Signature.fromWire(next), Lineage.after(value, message.id(), message.rootId(), rest));
		}
	}

	/**
	 * A task ended in a state other than SUCCESS (failure, revocation, time limit, worker lost): fail
	 * the rest of its chain, run its errbacks and record it as a chord member.
	 */
	void ended(TaskMessage message, TaskResult outcome) {
		TaskError error = (outcome.error() != null) ? outcome.error() : new TaskError(outcome.status(), null, null);
		List<Map<String, Object>> chain = message.embed().chain();
		if (chain != null) {
			for (Map<String, Object> step : chain) {
				Signature signature = Signature.fromWire(step);
				String id = CanvasSender.finalId(signature);
				if (id == null) {
					continue;
				}
				Object groupId = signature.options().get("group_id");
				TaskResult failure = TaskResult.failure(id, signature.task(), error, outcome.traceback(),
						this.clock.instant()).withLineage(message.id(), (groupId != null) ? groupId.toString() : null);
				this.backend.store(failure);
				if (groupId != null && signature.options().get("chord") instanceof Map<?, ?> chord) {
					Object index = signature.options().get("group_index");
					completeChord(groupId.toString(), (index instanceof Number number) ? number.intValue() : null,
							castMap(chord), failure, message);
				}
			}
		}
		runErrbacks(message.embed().errbacks(), message.id());
		chordMember(message, outcome);
	}

	/**
	 * Whether the task is a member of a chord, whose outcome must be stored before it is counted.
	 */
	boolean joinsChord(TaskMessage message) {
		return message.embed().chord() != null && message.groupId() != null;
	}

	void chordMember(TaskMessage message, TaskResult outcome) {
		Map<String, Object> chord = message.embed().chord();
		if (chord != null && message.groupId() != null) {
			completeChord(message.groupId(), message.groupIndex(), chord, outcome, message);
		}
	}

	private void completeChord(String groupId, @Nullable Integer groupIndex, Map<String, Object> chord,
			TaskResult outcome, TaskMessage message) {
		List<TaskResult> members = this.backend.completeChordMember(groupId, groupIndex, outcome);
		if (members == null) {
			return;
		}
		Signature callback = Signature.fromWire(chord);
		TaskResult failedMember = members.stream().filter((member) -> member.state() != TaskState.SUCCESS)
			.findFirst()
			.orElse(null);
		if (failedMember != null) {
			String callbackId = CanvasSender.finalId(callback);
			TaskError cause = failedMember.error();
			TaskError error = new TaskError("ChordError", "Dependency " + failedMember.taskId() + " raised "
					+ ((cause != null) ? cause.type() + "('" + cause.message() + "')" : failedMember.status()),
					"celery.exceptions");
			this.backend.store(TaskResult.failure(callbackId, callback.task(), error, null, this.clock.instant()));
			runErrbacks(errbacks(callback), callbackId);
			return;
		}
		List<Object> results = new ArrayList<>(members.size());
		members.forEach((member) -> results.add(member.result()));
		this.template.send(callback, Lineage.after(results, message.id(), message.rootId(), List.of()));
	}

	private void runErrbacks(@Nullable List<Map<String, Object>> errbacks, String failedId) {
		if (errbacks == null) {
			return;
		}
		for (Map<String, Object> errback : errbacks) {
			this.template.send(Signature.fromWire(errback), Lineage.after(failedId, failedId, failedId, List.of()));
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> castMap(Map<?, ?> map) {
		return (Map<String, Object>) map;
	}

	@SuppressWarnings("unchecked")
	private static @Nullable List<Map<String, Object>> errbacks(Signature signature) {
		Object errbacks = signature.options().get("link_error");
		return (errbacks instanceof List<?> list) ? (List<Map<String, Object>>) list : null;
	}

}
