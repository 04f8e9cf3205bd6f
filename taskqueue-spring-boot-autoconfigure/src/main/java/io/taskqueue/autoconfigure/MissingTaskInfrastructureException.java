package io.taskqueue.autoconfigure;

/**
 * Thrown at start-up when the configured broker or result backend cannot be created, typically
 * because its client library is not on the classpath.
 */
public class MissingTaskInfrastructureException extends IllegalStateException {

	private final String property;

	private final String value;

	private final String fix;

	MissingTaskInfrastructureException(String component, String property, String value, String fix) {
		super("No " + component + " for " + property + "=" + value + ": " + fix + ", or define a " + component
				+ " bean");
		this.property = property;
		this.value = value;
		this.fix = fix;
	}

	/**
	 * Return the property that selected the missing component.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return the property's value.
	 * @return the value
	 */
	public String getValue() {
		return this.value;
	}

	/**
	 * Return what to do about it.
	 * @return the fix
	 */
	public String getFix() {
		return this.fix;
	}

}
