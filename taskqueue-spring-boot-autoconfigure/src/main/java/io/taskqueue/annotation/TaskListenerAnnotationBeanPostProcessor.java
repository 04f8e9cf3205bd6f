package io.taskqueue.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.taskqueue.listener.TaskListenerEndpoint;
import io.taskqueue.listener.TaskListenerEndpointRegistry;
import io.taskqueue.listener.TaskOptions;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link TaskListener} methods on beans (through proxies, cached per class) and registers an
 * endpoint for each with the {@link TaskListenerEndpointRegistry} once all singletons exist.
 */
public class TaskListenerAnnotationBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private final Set<Class<?>> classesWithoutListeners = ConcurrentHashMap.newKeySet();

	private final List<TaskListenerEndpoint> endpoints = new ArrayList<>();

	private final String registryBeanName;

	private ConfigurableBeanFactory beanFactory;

	/**
	 * Create a post-processor that registers endpoints with the named registry bean.
	 * @param registryBeanName the name of the {@link TaskListenerEndpointRegistry} bean
	 */
	public TaskListenerAnnotationBeanPostProcessor(String registryBeanName) {
		this.registryBeanName = registryBeanName;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (ConfigurableBeanFactory) beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		if (this.classesWithoutListeners.contains(targetClass)) {
			return bean;
		}
		Map<Method, TaskListener> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<TaskListener>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, TaskListener.class));
		if (annotated.isEmpty()) {
			this.classesWithoutListeners.add(targetClass);
			return bean;
		}
		annotated.forEach((method, listener) -> this.endpoints.add(endpoint(bean, beanName, method, listener)));
		return bean;
	}

	private TaskListenerEndpoint endpoint(Object bean, String beanName, Method method, TaskListener listener) {
		String name = resolve(listener.name());
		if (!StringUtils.hasText(name)) {
			throw new IllegalStateException("@TaskListener on " + method.getDeclaringClass().getName() + "."
					+ method.getName() + " needs a task name, e.g. @TaskListener(name = \"emails.send_welcome\")");
		}
		String queue = resolve(listener.queue());
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		TaskOptions options = new TaskOptionsParser(this::resolve, method).parse(listener);
		return new TaskListenerEndpoint(name, StringUtils.hasText(queue) ? queue : null, beanName, bean, method,
				invocable, options);
	}

	private String resolve(String value) {
		String resolved = this.beanFactory.resolveEmbeddedValue(value);
		return (resolved != null) ? resolved.trim() : "";
	}

	@Override
	public void afterSingletonsInstantiated() {
		TaskListenerEndpointRegistry registry = this.beanFactory.getBean(this.registryBeanName,
				TaskListenerEndpointRegistry.class);
		this.endpoints.forEach(registry::registerEndpoint);
		this.endpoints.clear();
	}

}
