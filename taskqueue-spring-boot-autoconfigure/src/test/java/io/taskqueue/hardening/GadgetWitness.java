package io.taskqueue.hardening;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records whether {@link Gadget} was ever initialized or instantiated. Kept apart from the gadget
 * so that reading these flags does not itself load the gadget class.
 */
final class GadgetWitness {

	static final AtomicBoolean INITIALIZED = new AtomicBoolean();

	static final AtomicBoolean INSTANTIATED = new AtomicBoolean();

	private GadgetWitness() {
	}

}
