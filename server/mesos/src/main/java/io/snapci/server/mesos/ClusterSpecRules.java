package io.snapci.server.mesos;

import io.snapci.server.runs.SpecRules;

import io.snapci.model.RunSpec;
import io.snapci.server.ApiProblem;

/**
 * In a cluster the copy is a Portworx clone mounted into a task and the tests run in a container: a run names a
 * source volume, several (a production cluster's node volumes, snapshotted as one cut and copied into one test
 * node), a selector of them, or none (an empty Cassandra), and the image its tests run in. A cluster's maxAge reuses
 * a schedule's complete cut of exactly those volumes (docs/sources.md). A data directory means nothing
 * to an agent.
 */
final class ClusterSpecRules implements SpecRules {

    @Override
    public void check(RunSpec spec) {
        if (spec.source() != null && spec.source().isLocal()) {
            throw ApiProblem.invalid(spec.source().dataDir() != null ? "source.dataDir" : "source.dataDirs",
                    "this snapci runs on a cluster: name the Portworx volume that holds the Cassandra data"
                            + " (source.volume), not a directory");
        }
        if (spec.testImage() == null || spec.testImage().isBlank()) {
            throw ApiProblem.invalid("testImage", "in a cluster the tests run in a container: give the image that "
                    + "has your build tools, e.g. maven:3-eclipse-temurin-17");
        }
    }
}
