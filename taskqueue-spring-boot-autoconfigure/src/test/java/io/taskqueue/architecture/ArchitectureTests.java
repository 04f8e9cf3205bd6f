package io.taskqueue.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Package rules from the style guide: broker client types stay inside their broker's package.
 */
class ArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.taskqueue");

	@Test
	void redisTypesStayInRedisPackages() {
		noClasses().that()
			.resideOutsideOfPackages("..redis..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.data.redis..", "io.lettuce..")
			.allowEmptyShould(true)
			.check(this.classes);
	}

	@Test
	void amqpTypesStayInRabbitPackages() {
		noClasses().that()
			.resideOutsideOfPackages("..rabbit..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.amqp..", "com.rabbitmq..")
			.allowEmptyShould(true)
			.check(this.classes);
	}

	@Test
	void theCoreAndProtocolDoNotDependOnTheWorkerOrSpringBoot() {
		noClasses().that()
			.resideInAnyPackage("io.taskqueue.core..", "io.taskqueue.protocol..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.taskqueue.listener..", "io.taskqueue.annotation..", "io.taskqueue.autoconfigure..",
					"org.springframework.boot..")
			.check(this.classes);
	}

}
