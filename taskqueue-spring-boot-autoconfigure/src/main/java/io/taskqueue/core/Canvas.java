package io.taskqueue.core;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Celery's workflow primitives, as signatures that {@link TaskOperations#send(Signature)} sends:
 * <ul>
 * <li>{@link #chain chain(a, b, c)}: each result is prepended to the next step's arguments; the
 * result handle is the last step's;</li>
 * <li>{@link #group group(a, b)}: the members run in parallel; the handle is a {@link GroupResult};</li>
 * <li>{@link #chord chord(group, callback)}: the callback runs once with the members' results in
 * member order.</li>
 * </ul>
 * A group followed by more steps in a chain becomes a chord, as in Celery. Everything travels in the
 * messages in Celery's format, so Java and Python workers can share a workflow.
 */
public final class Canvas {

	private Canvas() {
	}

	/**
	 * Chain steps: each runs after the previous one succeeded, with its result prepended.
	 * @param steps the steps (tasks, groups, chords, chains)
	 * @return the chain
	 */
	public static Signature chain(Signature... steps) {
		return Signature.composite("chain", Map.of("tasks", wire(steps)));
	}

	/**
	 * Group members that run in parallel.
	 * @param members the members (tasks or chains)
	 * @return the group
	 */
	public static Signature group(Signature... members) {
		return Signature.composite("group", Map.of("tasks", wire(members)));
	}

	/**
	 * Run a callback once every member of a group finished, with their results in member order.
	 * @param header the group
	 * @param body the callback (a task or a chain)
	 * @return the chord
	 */
	public static Signature chord(Signature header, Signature body) {
		if (!"group".equals(header.subtaskType())) {
			header = group(header);
		}
		return Signature.composite("chord", Map.of("header", header.toWire(), "body", body.toWire(), "kwargs", Map.of()));
	}

	private static List<Map<String, Object>> wire(Signature... signatures) {
		return Arrays.stream(signatures).map(Signature::toWire).toList();
	}

}
