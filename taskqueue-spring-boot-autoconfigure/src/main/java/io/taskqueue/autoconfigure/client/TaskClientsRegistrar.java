package io.taskqueue.autoconfigure.client;

import io.taskqueue.client.TaskClient;
import io.taskqueue.client.TaskClientFactoryBean;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Registers a bean for every {@link TaskClient} interface in the application's auto-configuration
 * packages, unless a bean of that name already exists.
 */
class TaskClientsRegistrar
		implements ImportBeanDefinitionRegistrar, BeanFactoryAware, BeanClassLoaderAware, EnvironmentAware,
		ResourceLoaderAware {

	private @Nullable BeanFactory beanFactory;

	private @Nullable ClassLoader classLoader;

	private @Nullable Environment environment;

	private @Nullable ResourceLoader resourceLoader;

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		if (this.beanFactory == null || !AutoConfigurationPackages.has(this.beanFactory)) {
			return;
		}
		ClassPathScanningCandidateComponentProvider scanner = scanner();
		for (String basePackage : AutoConfigurationPackages.get(this.beanFactory)) {
			for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
				register(registry, ClassUtils.resolveClassName(candidate.getBeanClassName(), this.classLoader));
			}
		}
	}

	private void register(BeanDefinitionRegistry registry, Class<?> clientType) {
		String name = ClassUtils.getShortNameAsProperty(clientType);
		if (registry.containsBeanDefinition(name)) {
			return;
		}
		RootBeanDefinition definition = new RootBeanDefinition(TaskClientFactoryBean.class);
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, clientType);
		definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, clientType);
		registry.registerBeanDefinition(name, definition);
	}

	private ClassPathScanningCandidateComponentProvider scanner() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false,
				(this.environment != null) ? this.environment : new StandardEnvironment()) {

			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
				return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent();
			}

		};
		if (this.resourceLoader != null) {
			scanner.setResourceLoader(this.resourceLoader);
		}
		scanner.addIncludeFilter(new AnnotationTypeFilter(TaskClient.class, false, true));
		return scanner;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setResourceLoader(ResourceLoader resourceLoader) {
		this.resourceLoader = resourceLoader;
	}

}
