package io.snapci.server.mesos;

import io.snapci.server.runs.SpecRules;

import io.snapci.model.RunSpec;
import io.snapci.server.ApiProblem;

/**
 * In a cluster the copy is a Portworx clone mounted into a task and the tests run in a container: a run names a
 * source volume (or none, for an empty Cassandra) and the image its tests run in. A data directory means nothing
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
        if (spec.source() != null && spec.source().isCluster()) {
            // One test node over several volumes is built for local runs; the cluster path is still to come.
            throw ApiProblem.invalid(spec.source().volumes() != null ? "source.volumes" : "source.volumesSelector",
                    "a cluster of volumes is not copied in mesos mode yet: name one volume (source.volume)");
        }
        if (spec.testImage() == null || spec.testImage().isBlank()) {
            throw ApiProblem.invalid("testImage", "in a cluster the tests run in a container: give the image that "
                    + "has your build tools, e.g. maven:3-eclipse-temurin-17");
        }
        // Until the tests task masks the copy itself, a masked run is refused here rather than run unmasked.
        if (!spec.mask().isEmpty()) {
            throw ApiProblem.invalid("mask", "masking is not available on a cluster yet (docs/masking.md): "
                    + "this snapci would run the tests on an unmasked copy, so it refuses the run");
        }
    }
}
