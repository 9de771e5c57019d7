package io.snapci.tests.architecture;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The rules of snapci's structure (docs/architecture.md), over a root package so that the same rules can be shown
 * to fail on a deliberately broken set of classes. Maven's module dependencies already make most of these a compile
 * error; the rules name them, and also catch what Maven cannot see (a package cycle inside one module, a service
 * class reaching a root's package).
 */
final class Architecture {

    static final List<String> ADAPTERS = List.of("local", "mesos", "portworx", "zookeeper");

    private final String root;

    Architecture(String root) {
        this.root = root;
    }

    private String scheduler(String part) {
        return root + ".scheduler." + part + "..";
    }

    /** The run engine: no adapter, no server, and none of the libraries only adapters may use. */
    ArchRule coreDependsOnNoAdapter() {
        return noClasses().that().resideInAPackage(scheduler("core"))
                .should().dependOnClassesThat().resideInAnyPackage(
                        scheduler("local"), scheduler("mesos"), scheduler("portworx"), scheduler("zookeeper"),
                        root + ".server..", root + ".cli..", root + ".executor..",
                        "org.apache.mesos..", "org.apache.curator..", "org.apache.zookeeper..", "jakarta.ws..",
                        "org.glassfish..", "com.google.inject..", "com.datastax..")
                .as("the core (" + scheduler("core") + ") depends on no adapter, server or adapter library");
    }

    /** One rule per adapter: it may use the core, never another adapter, the server or the CLI. */
    List<ArchRule> adaptersDependOnNoOtherAdapter() {
        return ADAPTERS.stream().map(adapter -> (ArchRule) noClasses().that().resideInAPackage(scheduler(adapter))
                .should().dependOnClassesThat().resideInAnyPackage(ADAPTERS.stream().filter(a -> !a.equals(adapter))
                        .map(this::scheduler).toArray(String[]::new))
                .orShould().dependOnClassesThat().resideInAnyPackage(root + ".server..", root + ".cli..")
                .as("the " + adapter + " adapter depends on no other adapter, the server or the CLI")).toList();
    }

    /** serve's own code sees the core only: the mode's adapters reach it through a composition root. */
    ArchRule serviceSeesNoAdapter() {
        return noClasses().that().resideInAPackage(root + ".server..")
                .and().resideOutsideOfPackages(root + ".server.local..", root + ".server.mesos..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        scheduler("local"), scheduler("mesos"), scheduler("portworx"), scheduler("zookeeper"),
                        root + ".executor..", root + ".server.local..", root + ".server.mesos..")
                .as("serve's service code depends on the core only, never on an adapter or a composition root");
    }

    /** Each composition root sees its own mode's adapters, not the other mode's. */
    List<ArchRule> rootsSeeOnlyTheirMode() {
        return List.of(
                noClasses().that().resideInAPackage(root + ".server.local..")
                        .should().dependOnClassesThat().resideInAnyPackage(scheduler("mesos"),
                                scheduler("portworx"), scheduler("zookeeper"), root + ".server.mesos..")
                        .as("the local root builds one machine's adapters only"),
                noClasses().that().resideInAPackage(root + ".server.mesos..")
                        .should().dependOnClassesThat().resideInAnyPackage(scheduler("local"),
                                root + ".server.local..")
                        .as("the cluster root builds the cluster's adapters only"));
    }

    /** The shared data and the tests task's contract: depends on nothing of snapci's. */
    ArchRule modelIsALeaf() {
        return noClasses().that().resideInAPackage(root + ".model..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".scheduler..", root + ".server..",
                        root + ".executor..", root + ".cli..")
                .as("the model depends on nothing else of snapci's");
    }

    /** What runs next to the data knows nothing of how it was scheduled. */
    ArchRule executorKnowsNoScheduler() {
        return noClasses().that().resideInAPackage(root + ".executor..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".scheduler..", root + ".server..",
                        root + ".cli..")
                .as("the executor depends on the model only");
    }

    /** No cycles between the packages of one module, e.g. mesos.launch and mesos.sandbox. */
    List<ArchRule> noPackageCycles() {
        return List.of(
                SlicesRuleDefinition.slices().matching(root + ".scheduler.(*)..").should().beFreeOfCycles()
                        .as("the scheduler's modules are free of cycles"),
                SlicesRuleDefinition.slices().matching(root + ".scheduler.(*).(*)..").should().beFreeOfCycles()
                        .as("the packages inside each scheduler module are free of cycles"),
                SlicesRuleDefinition.slices().matching(root + ".server.(*)..").should().beFreeOfCycles()
                        .allowEmptyShould(true).as("serve's packages are free of cycles"));
    }

    List<ArchRule> all() {
        List<ArchRule> rules = new java.util.ArrayList<>();
        rules.add(coreDependsOnNoAdapter());
        rules.addAll(adaptersDependOnNoOtherAdapter());
        rules.add(serviceSeesNoAdapter());
        rules.addAll(rootsSeeOnlyTheirMode());
        rules.add(modelIsALeaf());
        rules.add(executorKnowsNoScheduler());
        rules.addAll(noPackageCycles());
        return rules;
    }
}
