package io.taskqueue.broker;

/**
 * What a {@link TaskBroker} can do, so that the worker adapts instead of assuming.
 *
 * @param delayedDelivery whether the broker holds messages with a future delivery time itself
 * @param leases whether in-flight deliveries expire unless {@link TaskBroker#renewLeases renewed}
 * @param deadLetters whether the broker keeps dead-lettered messages
 * @param maxPriority the highest message priority honoured, {@code 0} if priorities are ignored
 * @param durable whether messages survive a restart of the broker
 */
public record BrokerCapabilities(boolean delayedDelivery, boolean leases, boolean deadLetters, int maxPriority,
		boolean durable) {

}
