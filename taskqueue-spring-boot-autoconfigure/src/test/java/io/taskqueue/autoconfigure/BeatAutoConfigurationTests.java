package io.taskqueue.autoconfigure;

import java.time.Duration;

import io.taskqueue.actuate.TasksEndpoint;
import io.taskqueue.beat.BeatEntry;
import io.taskqueue.beat.BeatSchedule;
import io.taskqueue.beat.BeatScheduler;
import io.taskqueue.beat.InMemoryBeatStore;
import io.taskqueue.beat.MisfirePolicy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class BeatAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TaskQueueTestConfigurations.all())
		.withPropertyValues(TaskQueueTestConfigurations.FAST_SHUTDOWN, "taskqueue.beat.enabled=true",
				"management.endpoints.web.exposure.include=tasks");

	@Test
	void beatIsOffByDefault() {
		new ApplicationContextRunner().withConfiguration(TaskQueueTestConfigurations.all())
			.run((context) -> assertThat(context).doesNotHaveBean(BeatScheduler.class));
	}

	@Test
	void entriesComeFromConfigurationAndBeans() {
		this.runner
			.withPropertyValues("taskqueue.beat.schedule.cleanup.task=maintenance.cleanup_sessions",
					"taskqueue.beat.schedule.cleanup.cron=0 0 3 * * *", "taskqueue.beat.schedule.cleanup.zone=Europe/Berlin",
					"taskqueue.beat.schedule.health.task=maintenance.health_check",
					"taskqueue.beat.schedule.health.every=5m", "taskqueue.beat.schedule.health.misfire-policy=fire-once",
					"taskqueue.beat.schedule.health.args=1,2")
			.withBean("reportEntry", BeatEntry.class,
					() -> BeatEntry.of("report", "reports.daily", new BeatSchedule.Every(Duration.ofHours(1))))
			.run((context) -> {
				assertThat(context).hasSingleBean(InMemoryBeatStore.class);
				BeatScheduler beat = context.getBean(BeatScheduler.class);
				assertThat(beat.getEntries()).extracting(BeatEntry::name).containsExactly("cleanup", "health", "report");
				BeatEntry health = beat.getEntries().get(1);
				assertThat(health.schedule()).isEqualTo(new BeatSchedule.Every(Duration.ofMinutes(5)));
				assertThat(health.misfirePolicy()).isEqualTo(MisfirePolicy.FIRE_ONCE);
				assertThat(health.args()).hasSize(2);
				assertThat(beat.getEntries().get(0).schedule().describe()).isEqualTo("cron 0 0 3 * * * Europe/Berlin");
				assertThat(context.getBean(TasksEndpoint.class).tasks().beat()).extracting(BeatScheduler.EntryStatus::name)
					.containsExactly("cleanup", "health", "report");
			});
	}

	@Test
	void aBadCronFailsStartupNamingTheEntryAndKey() {
		assertStartupFailure("taskqueue.beat.schedule.broken.cron=every day", "taskqueue.beat.schedule.broken.cron");
	}

	@Test
	void anUnknownZoneFailsStartupNamingTheEntryAndKey() {
		assertStartupFailure("taskqueue.beat.schedule.broken.zone=Mars/Olympus", "taskqueue.beat.schedule.broken.zone");
	}

	@Test
	void neitherCronNorEveryFailsStartup() {
		this.runner.withPropertyValues("taskqueue.beat.schedule.broken.task=t")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("taskqueue.beat.schedule.broken.cron")
				.hasMessageContaining("set exactly one of 'cron' and 'every'"));
	}

	@Test
	void bothCronAndEveryFailStartup() {
		assertStartupFailure("taskqueue.beat.schedule.broken.every=1m", "exactly one of 'cron' and 'every'");
	}

	@Test
	void anEntryWithoutTaskFailsStartup() {
		this.runner.withPropertyValues("taskqueue.beat.schedule.broken.every=1m")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("taskqueue.beat.schedule.broken.task"));
	}

	private void assertStartupFailure(String property, String message) {
		this.runner
			.withPropertyValues("taskqueue.beat.schedule.broken.task=t", "taskqueue.beat.schedule.broken.cron=0 0 3 * * *",
					property)
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining(message));
	}

}
