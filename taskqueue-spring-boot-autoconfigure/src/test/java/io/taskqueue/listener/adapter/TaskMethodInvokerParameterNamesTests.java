package io.taskqueue.listener.adapter;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import io.taskqueue.core.TaskContext;
import io.taskqueue.listener.TaskListenerEndpoint;
import io.taskqueue.listener.TaskOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.Mockito.mock;

/**
 * Keyword arguments bind by parameter name, which only exists in the class file when the code was
 * compiled with {@code -parameters} (or, for Kotlin, {@code -java-parameters} or kotlin-reflect).
 * These tests compile a listener both ways.
 */
class TaskMethodInvokerParameterNamesTests {

	private static final String SOURCE = """
			package sample;
			public class Greeter {
				public String greet(String name, int times) {
					return name.repeat(times);
				}
			}
			""";

	@TempDir
	Path dir;

	@Test
	void withParameterNamesKeywordArgumentsBind() throws Throwable {
		TaskMethodInvoker invoker = invoker(compile("-parameters"));
		assertThat(invoker.invoke(List.of(), Map.of("name", "ab", "times", 2), mock(TaskContext.class)))
			.isEqualTo("abab");
	}

	@Test
	void withoutParameterNamesPositionalArgumentsStillBind() throws Throwable {
		TaskMethodInvoker invoker = invoker(compile());
		assertThat(invoker.invoke(List.of("ab", 3), Map.of(), mock(TaskContext.class))).isEqualTo("ababab");
	}

	@Test
	void withoutParameterNamesKeywordArgumentsFailWithTheCompilerFlagToAdd() throws Exception {
		TaskMethodInvoker invoker = invoker(compile());
		assertThatExceptionOfType(ArgumentBindingException.class)
			.isThrownBy(() -> invoker.invoke(List.of(), Map.of("name", "ab", "times", 2), mock(TaskContext.class)))
			.withMessageContaining("-parameters")
			.withMessageContaining("-java-parameters");
	}

	private Object compile(String... options) throws Exception {
		Path source = this.dir.resolve("sample/Greeter.java");
		Files.createDirectories(source.getParent());
		Files.writeString(source, SOURCE);
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		String[] arguments = new String[options.length + 3];
		System.arraycopy(options, 0, arguments, 0, options.length);
		arguments[options.length] = "-d";
		arguments[options.length + 1] = this.dir.toString();
		arguments[options.length + 2] = source.toString();
		assertThat(compiler.run(null, null, null, arguments)).isZero();
		URLClassLoader loader = new URLClassLoader(new URL[] { this.dir.toUri().toURL() }, getClass().getClassLoader());
		return loader.loadClass("sample.Greeter").getConstructor().newInstance();
	}

	private static TaskMethodInvoker invoker(Object bean) throws Exception {
		Method method = bean.getClass().getMethod("greet", String.class, int.class);
		TaskListenerEndpoint endpoint = new TaskListenerEndpoint("greet", null, "greeter", bean, method, method,
				TaskOptions.DEFAULTS);
		return new TaskMethodInvoker(endpoint, new JsonMapper());
	}

}
