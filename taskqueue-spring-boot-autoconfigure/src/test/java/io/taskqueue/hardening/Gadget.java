package io.taskqueue.hardening;

/**
 * Stands in for a deserialization gadget: a class a hostile message names in the hope that the
 * worker loads and instantiates it. It only tells {@link GadgetWitness} if that ever happens.
 */
public class Gadget {

	static {
		GadgetWitness.INITIALIZED.set(true);
	}

	private String command;

	public Gadget() {
		GadgetWitness.INSTANTIATED.set(true);
	}

	public String getCommand() {
		return this.command;
	}

	public void setCommand(String command) {
		GadgetWitness.INSTANTIATED.set(true);
		this.command = command;
	}

}
