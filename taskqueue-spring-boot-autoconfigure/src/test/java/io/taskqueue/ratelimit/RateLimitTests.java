package io.taskqueue.ratelimit;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RateLimitTests {

	@Test
	void rateLimitsParseCeleryNotation() {
		assertThat(RateLimit.parse("10/s").interval()).isEqualTo(Duration.ofMillis(100));
		assertThat(RateLimit.parse("100/m").interval()).isEqualTo(Duration.ofMillis(600));
		assertThat(RateLimit.parse("1000/h")).isEqualTo(new RateLimit(1000, Duration.ofHours(1)));
		assertThat(RateLimit.parse("5").period()).isEqualTo(Duration.ofSeconds(1));
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("10/d")).withMessageContaining("10/d");
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("0/s"));
	}

}
