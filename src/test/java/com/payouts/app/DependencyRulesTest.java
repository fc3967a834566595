package com.payouts.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules the code keeps (docs/architecture.md draws them): the domain is plain Java; the
 * HTTP layer reaches the database only through services; the service and the gateway client know
 * nothing of the mock gateway; sign-in knows nothing of HTTP; the load client is the command line's
 * alone; and the composition root is the only place that knows everything.
 */
class DependencyRulesTest {
  static JavaClasses main;

  @BeforeAll
  static void load() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("com.payouts");
  }

  @Test
  void theDomainImportsNoFrameworkAndNoOtherPackageOfOurs() {
    noClasses().that().resideInAPackage("com.payouts.domain..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "com.fasterxml..", "org.slf4j..")
        .because("the lifecycle and the money rules are plain Java, tested without a database").check(main);
    noClasses().that().resideInAPackage("com.payouts.domain..")
        .should().dependOnClassesThat().resideInAnyPackage("com.payouts.app..", "com.payouts.db..", "com.payouts.http..",
            "com.payouts.service..", "com.payouts.queue..", "com.payouts.gateway..", "com.payouts.auth..",
            "com.payouts.processor..", "com.payouts.retry..", "com.payouts.stats..", "com.payouts.bus..")
        .check(main);
  }

  @Test
  void httpReachesTheDatabaseOnlyThroughServices() {
    noClasses().that().resideInAPackage("com.payouts.http..")
        .should().dependOnClassesThat().resideInAPackage("com.payouts.db..")
        .because("routes talk to services; services own the repositories").check(main);
    // The error shape maps a failure of the driver (SQLSTATE, a closed connection) to a status: the
    // edge's one place that names it.
    noClasses().that().resideInAPackage("com.payouts.http..").and().doNotHaveSimpleName("ApiError")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx.sqlclient..", "io.vertx.pgclient..")
        .check(main);
  }

  @Test
  void nothingButTheCompositionRootAndTheGatewayCommandKnowsTheMockGateway() {
    noClasses().that().resideOutsideOfPackages("com.payouts.mockgateway..", "com.payouts.app..", "com.payouts.cli..")
        .should().dependOnClassesThat().resideInAPackage("com.payouts.mockgateway..")
        .because("the service pays through the gateway port; the mock is one gateway among others").check(main);
  }

  @Test
  void signInKnowsNothingOfHttp() {
    noClasses().that().resideInAPackage("com.payouts.auth..")
        .should().dependOnClassesThat().resideInAnyPackage("com.payouts.http..", "io.vertx.ext.web..")
        .check(main);
  }

  @Test
  void theLoadClientIsTheCommandLinesAlone() {
    noClasses().that().resideOutsideOfPackages("com.payouts.loadtest..", "com.payouts.cli..")
        .should().dependOnClassesThat().resideInAPackage("com.payouts.loadtest..")
        .because("the load client ships in the jar for `payouts.jar loadtest` but is no part of the service")
        .check(main);
  }

  @Test
  void onlyTheCompositionRootAndTheCommandLineKnowTheWholeGraph() {
    noClasses().that().resideOutsideOfPackages("com.payouts.app..", "com.payouts.cli..")
        .should().dependOnClassesThat().resideInAPackage("com.payouts.app..")
        .because("verticles and services are given what they need; they never reach for the root").check(main);
  }

  @Test
  void repositoriesKnowNoCallerOfTheirs() {
    noClasses().that().resideInAPackage("com.payouts.db..")
        .should().dependOnClassesThat().resideInAnyPackage("com.payouts.http..", "com.payouts.service..",
            "com.payouts.processor..", "com.payouts.app..", "com.payouts.cli..")
        .check(main);
  }
}
