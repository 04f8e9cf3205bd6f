package io.taskqueue.support.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Loads the Lua scripts that ship next to a class. The text is read once: a script created from a
 * resource location asks the resource whether it changed on every execution, which for a class-path
 * resource inside a jar is a zip lookup per Redis call.
 */
public final class LuaScripts {

	private LuaScripts() {
	}

	/**
	 * Load a script.
	 * @param <T> the result type
	 * @param owner the class the script file sits next to
	 * @param name the file name, for example {@code ack.lua}
	 * @param resultType the result type ({@code Long}, {@code List}, {@code String}...)
	 * @return the script, its SHA computed once
	 */
	public static <T> RedisScript<T> load(Class<?> owner, String name, Class<T> resultType) {
		ClassPathResource resource = new ClassPathResource(name, owner);
		try {
			return RedisScript.of(resource.getContentAsString(StandardCharsets.UTF_8), resultType);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read Lua script " + resource, ex);
		}
	}

}
