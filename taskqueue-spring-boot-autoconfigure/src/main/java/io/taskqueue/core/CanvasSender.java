package io.taskqueue.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.taskqueue.protocol.CeleryTime;
import io.taskqueue.protocol.Embed;
import io.taskqueue.protocol.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * Publishes signatures, chains, groups and chords as Celery does: ids are assigned up front, only a
 * chain's first step is published (the rest travels reversed in its {@code chain} embed), group
 * members carry {@code group}/{@code group_index}, and chord members carry the callback in
 * {@code chord} after the chord's size is recorded in the result backend.
 */
public final class CanvasSender {

	private final TaskTemplate template;

	CanvasSender(TaskTemplate template) {
		this.template = template;
	}

	/**
	 * Send a signature of any kind.
	 * @param signature the signature
	 * @param lineage where it is sent from
	 * @return the handle on its final result
	 */
	public AsyncResult send(Signature signature, Lineage lineage) {
		String type = signature.subtaskType();
		if (type == null) {
			return sendTask(signature, lineage);
		}
		return switch (type) {
			case "chain" -> sendChain(normalize(withChainCallbacks(signature)), lineage);
			case "group" -> sendGroup(signature, lineage, null);
			case "chord" -> sendChord(signature, lineage);
			default -> throw new IllegalArgumentException("Unsupported canvas type '" + type + "'");
		};
	}

	private AsyncResult sendTask(Signature signature, Lineage lineage) {
		Signature task = signature.freeze();
		Map<String, Object> options = task.options();
		List<Object> args = new ArrayList<>();
		if (lineage.hasParentResult() && !task.isImmutable()) {
			args.add(lineage.parentResult());
		}
		args.addAll(task.args());
		String id = task.taskId();
		Instant now = Instant.now();
		TaskMessage.Builder message = TaskMessage.builder(task.task(), id)
			.args(args)
			.kwargs(task.kwargs())
			.rootId((lineage.rootId() != null) ? lineage.rootId() : id)
			.parentId(lineage.parentId())
			.group((lineage.groupId() != null) ? lineage.groupId() : string(options.get("group_id")),
					(lineage.groupId() != null) ? lineage.groupIndex() : integer(options.get("group_index")))
			.priority(integer(options.get("priority")))
			.eta(time(options, "eta", "countdown", now))
			.expires(time(options, null, "expires", now))
			.embed(new Embed(orNull(signatures(options.get("link"))), orNull(signatures(options.get("link_error"))),
					lineage.chainRest().isEmpty() ? null : lineage.chainRest(),
					(lineage.chord() != null) ? lineage.chord() : map(options.get("chord"))));
		return this.template.publish(message, string(options.get("queue")));
	}

	private AsyncResult sendChain(List<Signature> steps, Lineage lineage) {
		List<Signature> frozen = steps.stream().map(CanvasSender::freeze).toList();
		List<Map<String, Object>> rest = new ArrayList<>();
		for (int i = frozen.size() - 1; i > 0; i--) {
			rest.add(frozen.get(i).toWire());
		}
		AsyncResult first = send(frozen.get(0), lineage.withChainRest(rest));
		if (frozen.size() == 1) {
			return first;
		}
		Signature last = frozen.get(frozen.size() - 1);
		this.template.recordKnown(finalId(last), last.task());
		return this.template.result(finalId(last));
	}

	private GroupResult sendGroup(Signature group, Lineage lineage, @Nullable Signature chordBody) {
		Signature frozen = freeze(group);
		String groupId = string(frozen.options().get("group_id"));
		List<Signature> members = members(frozen);
		Map<String, Object> chord = (chordBody != null) ? chordBody.toWire() : null;
		if (chordBody != null) {
			this.template.startChord(groupId, members.size());
		}
		List<AsyncResult> results = new ArrayList<>();
		for (int i = 0; i < members.size(); i++) {
			Signature member = members.get(i);
			if (chordBody != null && isGroupLike(member, true)) {
				throw new IllegalArgumentException("A chord header member is a " + member.subtaskType()
						+ " (or a chain ending in one); nested groups and chords in a chord header are not supported,"
						+ " flatten the header into tasks and chains of tasks");
			}
			if ("chain".equals(member.subtaskType())) {
				List<Signature> steps = normalize(steps(member));
				Signature last = steps.get(steps.size() - 1).option("group_id", groupId).option("group_index", i)
					.option("chord", chord);
				List<Signature> adjusted = new ArrayList<>(steps.subList(0, steps.size() - 1));
				adjusted.add(last);
				results.add(sendChain(adjusted, lineage));
			}
			else {
				results.add(send(member, lineage.inGroup(groupId, i, chord)));
			}
		}
		return new GroupResult(groupId, results, this.template.backend(), this.template.mapper());
	}

	private AsyncResult sendChord(Signature chord, Lineage lineage) {
		Signature frozen = freeze(chord);
		Signature body = Signature.fromWire(map(frozen.kwargs().get("body")));
		Signature header = header(frozen);
		this.template.recordKnown(finalId(body), body.task());
		sendGroup(header, lineage, body);
		return this.template.result(finalId(body));
	}

	/** Assign ids to a signature and everything in it, so its result handles exist before it runs. */
	static Signature freeze(Signature signature) {
		String type = signature.subtaskType();
		if (type == null) {
			return signature.freeze();
		}
		return switch (type) {
			case "chain" -> signature.withKwargs(Map.of("tasks", steps(signature).stream()
				.map((step) -> freeze(step).toWire())
				.toList()));
			case "group" -> {
				Signature group = (signature.options().get("group_id") != null) ? signature
						: signature.option("group_id", UUID.randomUUID().toString());
				yield group.withKwargs(Map.of("tasks", members(group).stream().map((m) -> freeze(m).toWire()).toList()));
			}
			case "chord" -> signature.withKwargs(Map.of("header", freeze(header(signature)).toWire(), "body",
					freeze(Signature.fromWire(map(signature.kwargs().get("body")))).toWire(), "kwargs", Map.of()));
			default -> signature;
		};
	}

	/**
	 * Return the id whose result is a frozen signature's final result.
	 * @param frozen a signature with its ids assigned
	 * @return the id
	 */
	public static String finalId(Signature frozen) {
		String type = frozen.subtaskType();
		if ("chain".equals(type)) {
			List<Signature> steps = steps(frozen);
			return finalId(steps.get(steps.size() - 1));
		}
		if ("chord".equals(type)) {
			return finalId(Signature.fromWire(map(frozen.kwargs().get("body"))));
		}
		if ("group".equals(type)) {
			return string(frozen.options().get("group_id"));
		}
		return frozen.taskId();
	}

	/** As in Celery: a chain's errbacks apply to each of its steps, its callbacks to its last step. */
	private static List<Signature> withChainCallbacks(Signature chain) {
		List<Map<String, Object>> errbacks = signatures(chain.options().get("link_error"));
		List<Map<String, Object>> callbacks = signatures(chain.options().get("link"));
		List<Signature> steps = new ArrayList<>(steps(chain));
		for (int i = 0; i < steps.size(); i++) {
			Signature step = steps.get(i);
			for (Map<String, Object> errback : errbacks) {
				step = step.linkError(Signature.fromWire(errback));
			}
			if (i == steps.size() - 1) {
				for (Map<String, Object> callback : callbacks) {
					step = step.link(Signature.fromWire(callback));
				}
			}
			steps.set(i, step);
		}
		return steps;
	}

	/** Flatten nested chains; a group or chord followed by more steps becomes a chord over the rest. */
	static List<Signature> normalize(List<Signature> steps) {
		List<Signature> flat = new ArrayList<>();
		for (Signature step : steps) {
			if ("chain".equals(step.subtaskType())) {
				flat.addAll(steps(step));
			}
			else {
				flat.add(step);
			}
		}
		List<Signature> normalized = new ArrayList<>();
		for (int i = 0; i < flat.size(); i++) {
			Signature step = flat.get(i);
			boolean more = i + 1 < flat.size();
			if (more && "group".equals(step.subtaskType())) {
				normalized.add(Canvas.chord(step, chainOf(flat.subList(i + 1, flat.size()))));
				return normalized;
			}
			if (more && "chord".equals(step.subtaskType())) {
				List<Signature> body = new ArrayList<>();
				body.add(Signature.fromWire(map(step.kwargs().get("body"))));
				body.addAll(flat.subList(i + 1, flat.size()));
				normalized.add(Canvas.chord(header(step), chainOf(body)));
				return normalized;
			}
			normalized.add(step);
		}
		return normalized;
	}

	private static boolean isGroupLike(Signature signature, boolean lookIntoChains) {
		String type = signature.subtaskType();
		if ("group".equals(type) || "chord".equals(type)) {
			return true;
		}
		if (lookIntoChains && "chain".equals(type)) {
			List<Signature> steps = normalize(steps(signature));
			return isGroupLike(steps.get(steps.size() - 1), false);
		}
		return false;
	}

	/** A chord's header as a group: Celery keeps it as a group signature or as a plain list of members. */
	private static Signature header(Signature chord) {
		Object header = chord.kwargs().get("header");
		if (header instanceof List<?>) {
			return Canvas.group(signatures(header).stream().map(Signature::fromWire).toArray(Signature[]::new));
		}
		return Signature.fromWire(map(header));
	}

	private static Signature chainOf(List<Signature> steps) {
		return (steps.size() == 1) ? steps.get(0) : Canvas.chain(steps.toArray(Signature[]::new));
	}

	static List<Signature> steps(Signature chain) {
		return signatures(chain.kwargs().get("tasks")).stream().map(Signature::fromWire).toList();
	}

	static List<Signature> members(Signature group) {
		return signatures(group.kwargs().get("tasks")).stream().map(Signature::fromWire).toList();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> signatures(@Nullable Object value) {
		return (value instanceof List<?> list) ? (List<Map<String, Object>>) list : Collections.emptyList();
	}

	private static @Nullable List<Map<String, Object>> orNull(List<Map<String, Object>> list) {
		return list.isEmpty() ? null : list;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(@Nullable Object value) {
		return (value instanceof Map<?, ?> map) ? (Map<String, Object>) map : null;
	}

	private static @Nullable Instant time(Map<String, Object> options, @Nullable String absolute, String relative,
			Instant now) {
		if (absolute != null && options.get(absolute) != null) {
			return CeleryTime.parse(options.get(absolute).toString());
		}
		Object seconds = options.get(relative);
		return (seconds instanceof Number number) ? now.plusMillis((long) (number.doubleValue() * 1000)) : null;
	}

	private static @Nullable String string(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	private static @Nullable Integer integer(@Nullable Object value) {
		return (value instanceof Number number) ? number.intValue() : null;
	}

}
