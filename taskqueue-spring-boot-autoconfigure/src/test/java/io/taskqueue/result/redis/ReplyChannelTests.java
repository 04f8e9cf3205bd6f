package io.taskqueue.result.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the waiting side of a {@link ReplyChannel} remembers, and for how long.
 */
class ReplyChannelTests {

	private final ReplyChannel replies = new ReplyChannel();

	@Test
	void theChannelIsNamedAfterTheReplyAddress() {
		assertThat(this.replies.channel()).isEqualTo(ReplyChannel.channelOf(this.replies.replyTo()))
			.startsWith("taskqueue-reply-");
	}

	@Test
	void aSentTaskExpectsItsReplyUntilItComes() {
		this.replies.sent("a", "t", this.replies.replyTo());
		assertThat(this.replies.expectsReply("a")).isTrue();
		assertThat(this.replies.expectsReply("b")).isFalse();
		assertThat(this.replies.received("a\n{}")).isEqualTo(new ReplyChannel.Reply("a", "{}"));
		assertThat(this.replies.expectsReply("a")).isFalse();
	}

	@Test
	void aTaskWhoseRepliesGoElsewhereExpectsNone() {
		this.replies.sent("chain-end", "t", null);
		this.replies.sent("other", "t", "another-process");
		assertThat(this.replies.expectsReply("chain-end")).isFalse();
		assertThat(this.replies.expectsReply("other")).isFalse();
	}

	@Test
	void aReplyNobodyAwaitsYetIsHandedToTheFirstWaiterOnly() {
		this.replies.sent("a", "t", this.replies.replyTo());
		this.replies.received("a\n{\"status\": \"SUCCESS\"}");
		assertThat(this.replies.claim("a")).isEqualTo("{\"status\": \"SUCCESS\"}");
		assertThat(this.replies.claim("a")).isNull();
	}

	@Test
	void aReplyThatBeatTheSendersRecordLeavesNothingExpected() {
		this.replies.received("a\n{}");
		this.replies.sent("a", "t", this.replies.replyTo());
		assertThat(this.replies.expectsReply("a")).isFalse();
	}

	@Test
	void malformedMessagesAreIgnored() {
		assertThat(this.replies.received("no newline")).isNull();
		assertThat(this.replies.received("\n{}")).isNull();
	}

	@Test
	void waitersWithoutAReplyFallBackAfterOneToTwoTicksIfStillWaiting() {
		List<String> fellBack = new ArrayList<>();
		Set<String> awaited = Set.of("slow");
		this.replies.awaitReply("slow");
		this.replies.awaitReply("done");
		this.replies.tick(awaited::contains, fellBack::add);
		assertThat(fellBack).isEmpty();
		this.replies.tick(awaited::contains, fellBack::add);
		assertThat(fellBack).containsExactly("slow");
		this.replies.tick(awaited::contains, fellBack::add);
		assertThat(fellBack).containsExactly("slow");
	}

	@Test
	void sentTasksAndUnclaimedRepliesAreForgottenAfterSomeTicks() {
		this.replies.sent("sent", "t", this.replies.replyTo());
		this.replies.received("early\n{}");
		for (int i = 0; i < 10; i++) {
			this.replies.tick((id) -> false, (id) -> {
			});
		}
		assertThat(this.replies.expectsReply("sent")).isTrue();
		for (int i = 0; i < 10; i++) {
			this.replies.tick((id) -> false, (id) -> {
			});
		}
		assertThat(this.replies.expectsReply("sent")).isFalse();
		assertThat(this.replies.claim("early")).isNull();
	}

	@Test
	void tasksOfANameFoundReadyWithoutAReplyAreNotWaitedForUntilOneReplies() {
		this.replies.sent("py-1", "pyapp.add", this.replies.replyTo());
		this.replies.readyWithoutReply("py-1");
		this.replies.sent("py-2", "pyapp.add", this.replies.replyTo());
		this.replies.sent("java-1", "javaapp.add", this.replies.replyTo());
		assertThat(this.replies.expectsReply("py-2")).isFalse();
		assertThat(this.replies.expectsReply("java-1")).isTrue();
		this.replies.received("py-2\n{}");
		this.replies.sent("py-3", "pyapp.add", this.replies.replyTo());
		assertThat(this.replies.expectsReply("py-3")).isTrue();
	}

	@Test
	void aTaskWhoseReplyCameIsNotTakenForOneWithout() {
		this.replies.sent("a", "javaapp.add", this.replies.replyTo());
		this.replies.received("a\n{}");
		this.replies.readyWithoutReply("a");
		this.replies.sent("b", "javaapp.add", this.replies.replyTo());
		assertThat(this.replies.expectsReply("b")).isTrue();
	}

}
