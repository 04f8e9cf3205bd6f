package io.taskqueue.client;

import io.taskqueue.client.sample.Emails;
import io.taskqueue.core.AsyncResult;
import io.taskqueue.core.Signature;
import io.taskqueue.core.TaskOperations;
import io.taskqueue.core.TaskRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TaskClientProxyFactoryTests {

	@Test
	void aMethodWithoutTaskNameIsRejectedWhenTheClientIsCreated() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TaskClientProxyFactory.create(Unnamed.class, new UnusedOperations()))
			.withMessageContaining(Unnamed.class.getName() + ".send has no @TaskName");
	}

	@Test
	void anUnsupportedReturnTypeIsRejectedWhenTheClientIsCreated() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TaskClientProxyFactory.create(ReturnsString.class, new UnusedOperations()))
			.withMessageContaining(ReturnsString.class.getName() + ".send returns java.lang.String");
	}

	@Test
	void aClassIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TaskClientProxyFactory.create(String.class, new UnusedOperations()))
			.withMessageContaining("is not an interface");
	}

	@Test
	void objectMethodsAnswerWithoutSending() {
		Emails emails = TaskClientProxyFactory.create(Emails.class, new UnusedOperations());
		assertThat(emails.toString()).contains(Emails.class.getName());
		assertThat(emails).isEqualTo(emails).isNotEqualTo(TaskClientProxyFactory.create(Emails.class, new UnusedOperations()));
		assertThat(emails.hashCode()).isEqualTo(System.identityHashCode(emails));
	}

	interface Unnamed {

		AsyncResult send(String value);

	}

	interface ReturnsString {

		@TaskName("x")
		String send();

	}

	static class UnusedOperations implements TaskOperations {

		@Override
		public AsyncResult send(String taskName, Object... args) {
			throw new AssertionError("not expected");
		}

		@Override
		public TaskRequest task(String taskName) {
			throw new AssertionError("not expected");
		}

		@Override
		public AsyncResult send(Signature signature) {
			throw new AssertionError("not expected");
		}

		@Override
		public AsyncResult result(String taskId) {
			throw new AssertionError("not expected");
		}

	}

}
