package io.taskqueue.broker.redis;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KombuEnvelopeTests {

	@Test
	void deliveryTagsAreDistinctVersion4Uuids() {
		Set<String> tags = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			String tag = KombuEnvelope.deliveryTag();
			UUID uuid = UUID.fromString(tag);
			assertThat(uuid.version()).isEqualTo(4);
			assertThat(uuid.variant()).isEqualTo(2);
			assertThat(uuid.toString()).isEqualTo(tag);
			tags.add(tag);
		}
		assertThat(tags).hasSize(10_000);
	}

}
