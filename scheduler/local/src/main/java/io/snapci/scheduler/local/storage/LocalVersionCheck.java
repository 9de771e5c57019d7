package io.snapci.scheduler.local.storage;

import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.executor.cassandra.ProductionVersion;
import io.snapci.executor.cassandra.VersionChoice;
import io.snapci.model.RunSpec;
import io.snapci.scheduler.core.storage.SourceCheck;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Before a local run copies anything: reads which Cassandra production runs from its directories' files
 * ({@link ProductionVersion}) and refuses the run when this machine's Cassandra is not of that major version,
 * unless the run asks for this newer one ({@link VersionChoice}).
 */
public final class LocalVersionCheck implements SourceCheck {

    private final CassandraRuntime runtime;

    public LocalVersionCheck(CassandraRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String check(RunSpec spec) throws StorageException {
        String requested = spec.cassandra().version();
        if (!spec.hasSource() || !spec.source().isLocal()) {
            return choose(Optional.empty(), requested);
        }
        List<Path> dataDirs = new ArrayList<>();
        for (String given : spec.source().nodeDirs()) {
            dataDirs.add(SourceLayout.of(given).data());
        }
        try {
            return choose(ProductionVersion.detect(dataDirs), requested);
        } catch (IOException e) {
            throw new StorageException(Kind.INVALID_SOURCE, "cannot read the source's files to tell its Cassandra"
                    + " version: " + e, e);
        }
    }

    private String choose(Optional<ProductionVersion> production, String requested) throws StorageException {
        String release;
        try {
            release = runtime.release();
        } catch (IllegalStateException e) {
            return null; // no Cassandra here at all: booting it says so, with what to do
        }
        try {
            return VersionChoice.choose(production, release, requested);
        } catch (VersionChoice.Refused e) {
            throw new StorageException(Kind.REFUSED, e.getMessage(), e);
        }
    }
}
