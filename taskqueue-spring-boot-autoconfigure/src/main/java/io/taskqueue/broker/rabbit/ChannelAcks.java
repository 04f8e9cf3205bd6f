package io.taskqueue.broker.rabbit;

import java.io.IOException;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

import com.rabbitmq.client.Channel;

/**
 * The unsettled deliveries of one consumer channel, so that acknowledgements sent later can go out
 * as one multiple acknowledgement where the finished deliveries are the oldest unsettled ones.
 *
 * <p>A multiple acknowledgement settles every unacknowledged delivery up to its tag, so it must stop
 * below the oldest delivery still being worked on; finished deliveries above that one are
 * acknowledged one by one, so that none holds a prefetch slot until an older, slower task ends.
 */
final class ChannelAcks {

	private final Channel channel;

	private final NavigableSet<Long> unsettled = new ConcurrentSkipListSet<>();

	ChannelAcks(Channel channel) {
		this.channel = channel;
	}

	Channel channel() {
		return this.channel;
	}

	/** Called for each delivery before anyone can settle it. */
	void delivered(long tag) {
		this.unsettled.add(tag);
	}

	/** Called once a delivery was settled on its own (acknowledged, rejected), after the fact. */
	void settled(long tag) {
		this.unsettled.remove(tag);
	}

	/**
	 * Acknowledge finished deliveries: those below the oldest unfinished one with one multiple
	 * acknowledgement, the others one by one.
	 * @param finished the tags of finished deliveries of this channel, each given once
	 * @return how many acknowledgements were sent
	 * @throws IOException if the channel cannot send them
	 */
	synchronized int acknowledge(List<Long> finished) throws IOException {
		if (finished.isEmpty()) {
			return 0;
		}
		NavigableSet<Long> done = new TreeSet<>(finished);
		Long oldestBusy = null;
		for (Long tag : this.unsettled) {
			if (!done.contains(tag)) {
				oldestBusy = tag;
				break;
			}
		}
		NavigableSet<Long> individually = (oldestBusy != null) ? done.tailSet(oldestBusy, false) : new TreeSet<>();
		Long upTo = (oldestBusy != null) ? done.lower(oldestBusy) : done.last();
		int sent = 0;
		if (upTo != null) {
			this.channel.basicAck(upTo, true);
			sent++;
		}
		for (Long tag : individually) {
			this.channel.basicAck(tag, false);
			sent++;
		}
		this.unsettled.removeAll(done);
		return sent;
	}

}
