package io.snapci.tests.support;

import java.nio.file.Path;

/** The demo's stand-in production cluster ({@link io.snapci.cli.demo.ProductionCluster}) for tests. */
public final class ProductionCluster {

    private ProductionCluster() {
    }

    /** {@code n} nodes on 127.0.0.1..n under {@code dir}, cluster name "production". */
    public static io.snapci.cli.demo.ProductionCluster start(Path dir, int n) throws Exception {
        return io.snapci.cli.demo.ProductionCluster.start(Snapci.cassandraRuntime(), dir, "production", n);
    }
}
