package io.snapci.server.local;

import io.snapci.server.runs.SpecRules;

import io.snapci.executor.testcmd.TestCommandException;
import io.snapci.executor.testcmd.TestCommandRunner;
import io.snapci.model.RunSpec;
import io.snapci.server.ApiProblem;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Local mode runs on the server's own disk: a source is a data directory on this machine, the tests run in a
 * directory of this machine, and the test command must be one this machine can run. Checked before the run is
 * recorded, so a spec that could never run is a 400, not an ERROR run.
 */
final class LocalSpecRules implements SpecRules {

    private final Path defaultWorkDir;

    LocalSpecRules(Path defaultWorkDir) {
        this.defaultWorkDir = defaultWorkDir;
    }

    @Override
    public void check(RunSpec spec) {
        if (spec.source() != null && !spec.source().isLocal()) {
            String field = spec.source().volume() != null ? "source.volume"
                    : spec.source().volumes() != null ? "source.volumes" : "source.volumesSelector";
            throw ApiProblem.invalid(field, "this server runs in local mode, which copies data directories; a"
                    + " volume source needs mode=mesos with the Portworx driver. Use source.dataDir or"
                    + " source.dataDirs.");
        }
        if (spec.source() != null) {
            String field = spec.source().dataDir() != null ? "source.dataDir" : "source.dataDirs";
            for (String given : spec.source().nodeDirs()) {
                Path dir = Path.of(given);
                if (!dir.isAbsolute()) {
                    throw ApiProblem.invalid(field, "must be an absolute path on the snapci server, got '"
                            + given + "'");
                }
                if (!Files.isDirectory(dir)) {
                    throw ApiProblem.invalid(field, "no such directory on the snapci server: " + dir
                            + ". Give the Cassandra data directory (/var/lib/cassandra or its data/).");
                }
            }
        }
        Path workDir = defaultWorkDir;
        if (spec.workDir() != null) {
            workDir = Path.of(spec.workDir());
            if (!workDir.isAbsolute()) {
                throw ApiProblem.invalid("workDir", "must be an absolute path on the snapci server (the checkout "
                        + "the tests run in), got '" + spec.workDir() + "'");
            }
            if (!Files.isDirectory(workDir)) {
                throw ApiProblem.invalid("workDir", "no such directory on the snapci server: " + workDir);
            }
        }
        try {
            TestCommandRunner.preflight(spec.testCommand(), workDir, spec.env());
        } catch (TestCommandException e) {
            throw ApiProblem.invalid("testCommand", e.getMessage());
        }
    }
}
