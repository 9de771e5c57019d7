package io.snapci.tests.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** snapci's structure, checked on its built classes (and once on a broken set, to show the rules can fail). */
class ArchitectureTest {

    private static JavaClasses snapci;

    @BeforeAll
    static void importSnapci() {
        snapci = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.snapci");
        assertThat(snapci.containPackage("io.snapci.scheduler.core.run")).as("the core was imported").isTrue();
        assertThat(snapci.containPackage("io.snapci.scheduler.mesos.launch")).as("the adapters were imported").isTrue();
        assertThat(snapci.containPackage("io.snapci.server.mesos")).as("the roots were imported").isTrue();
    }

    private final Architecture rules = new Architecture("io.snapci");

    @Test
    void theCoreDependsOnNoAdapter() {
        rules.coreDependsOnNoAdapter().check(snapci);
    }

    @Test
    void adaptersDoNotDependOnEachOther() {
        rules.adaptersDependOnNoOtherAdapter().forEach(rule -> rule.check(snapci));
    }

    @Test
    void onlyTheCompositionRootsSeeTheAdapters() {
        rules.serviceSeesNoAdapter().check(snapci);
        rules.rootsSeeOnlyTheirMode().forEach(rule -> rule.check(snapci));
    }

    @Test
    void theModelAndTheExecutorDependOnNoScheduler() {
        rules.modelIsALeaf().check(snapci);
        rules.executorKnowsNoScheduler().check(snapci);
    }

    @Test
    void thereAreNoPackageCycles() {
        rules.noPackageCycles().forEach(rule -> rule.check(snapci));
    }

    /**
     * The same rules over a fixture laid out like snapci: a core class that imports a Mesos adapter class, a
     * Portworx class that imports the Mesos adapter, and an API class that uses Portworx types.
     */
    @Test
    void theRulesFailOnForbiddenImports() {
        JavaClasses broken = new ClassFileImporter().importPackages("io.snapci.tests.architecture.fixture");
        Architecture fixtureRules = new Architecture("io.snapci.tests.architecture.fixture");

        EvaluationResult core = onFixture(fixtureRules.coreDependsOnNoAdapter(), broken);
        assertThat(core.hasViolation()).isTrue();
        assertThat(core.getFailureReport().getDetails()).anyMatch(line -> line.contains("BadRunEngine")
                && line.contains("MesosThing"));

        List<EvaluationResult> adapters = fixtureRules.adaptersDependOnNoOtherAdapter().stream()
                .map(rule -> onFixture(rule, broken)).toList();
        assertThat(adapters).anyMatch(result -> result.hasViolation() && result.getFailureReport().getDetails()
                .stream().anyMatch(line -> line.contains("PortworxThing") && line.contains("MesosThing")));

        EvaluationResult service = onFixture(fixtureRules.serviceSeesNoAdapter(), broken);
        assertThat(service.getFailureReport().getDetails()).anyMatch(line -> line.contains("SnapshotsEndpoint")
                && line.contains("PortworxThing"));

        // and the well-behaved class of the fixture breaks no rule
        assertThat(fixtureRules.all().stream().map(rule -> onFixture(rule, broken))
                .flatMap(r -> r.getFailureReport().getDetails().stream()))
                .noneMatch(line -> line.contains("WellBehaved"));
    }

    /** The fixture has no class for some rules (no local adapter, no model): those find nothing, and may. */
    private static EvaluationResult onFixture(ArchRule rule, JavaClasses classes) {
        return rule.allowEmptyShould(true).evaluate(classes);
    }

    @Test
    void everyRuleIsExercised() {
        List<ArchRule> all = rules.all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(10);
    }
}
