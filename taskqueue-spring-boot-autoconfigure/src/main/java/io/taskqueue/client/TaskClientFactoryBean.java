package io.taskqueue.client;

import io.taskqueue.core.TaskOperations;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;

/**
 * Makes a {@link TaskClient} interface a bean, sending through the context's
 * {@link TaskOperations}.
 *
 * @param <T> the client type
 */
public class TaskClientFactoryBean<T> implements FactoryBean<T>, BeanFactoryAware {

	private final Class<T> clientType;

	private @Nullable BeanFactory beanFactory;

	private @Nullable T client;

	/**
	 * Create a factory bean.
	 * @param clientType the interface annotated with {@link TaskClient}
	 */
	public TaskClientFactoryBean(Class<T> clientType) {
		this.clientType = clientType;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public synchronized T getObject() {
		if (this.client == null) {
			if (this.beanFactory == null) {
				throw new IllegalStateException("No BeanFactory to find TaskOperations in");
			}
			this.client = TaskClientProxyFactory.create(this.clientType, this.beanFactory.getBean(TaskOperations.class));
		}
		return this.client;
	}

	@Override
	public Class<T> getObjectType() {
		return this.clientType;
	}

}
