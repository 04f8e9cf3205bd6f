package io.taskqueue.autoconfigure.beat;

import java.time.Clock;

import io.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import io.taskqueue.autoconfigure.TaskQueueClock;
import io.taskqueue.autoconfigure.TaskQueueProperties;
import io.taskqueue.beat.BeatEntry;
import io.taskqueue.beat.BeatScheduler;
import io.taskqueue.beat.BeatSettings;
import io.taskqueue.beat.BeatStore;
import io.taskqueue.beat.InMemoryBeatStore;
import io.taskqueue.core.TaskTemplate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of beat ({@code taskqueue.beat.enabled=true}): entries from
 * {@code taskqueue.beat.schedule.*} and {@link BeatEntry} beans, coordinated through a
 * {@link BeatStore} (Redis when Redis is the broker or result backend, this JVM otherwise).
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class,
		afterName = "io.taskqueue.autoconfigure.redis.RedisBeatStoreAutoConfiguration")
@ConditionalOnProperty(name = "taskqueue.beat.enabled", havingValue = "true")
public final class BeatAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BeatStore taskBeatStore(@Qualifier(TaskQueueClock.BEAN_NAME) ObjectProvider<Clock> clock) {
		return new InMemoryBeatStore(TaskQueueClock.resolve(clock));
	}

	@Bean
	@ConditionalOnMissingBean
	BeatScheduler taskBeatScheduler(TaskQueueProperties properties, ObjectProvider<BeatEntry> entryBeans,
			BeatStore store, TaskTemplate tasks, @Qualifier(TaskQueueClock.BEAN_NAME) ObjectProvider<Clock> clock) {
		TaskQueueProperties.Beat beat = properties.getBeat();
		return new BeatScheduler(BeatEntries.of(beat.getSchedule(), entryBeans.orderedStream().toList()), store, tasks,
				new BeatSettings(beat.getLease(), beat.getMisfireGrace(), beat.getMisfireLimit()), TaskQueueClock.resolve(clock));
	}

}
