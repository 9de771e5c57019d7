package io.snapci.executor.cassandra;

import io.snapci.model.CassandraSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class NodeConfigWriterTest {

    @TempDir
    Path dir;

    @Test
    void theNodeIsItsOwnSeedInItsOwnClusterWithEverythingUnderItsCopy() throws Exception {
        NodeConfig node = new NodeConfig("snapci-r1", CassandraDirectories.under(dir.resolve("copy")),
                dir.resolve("run"), new NodePorts(19042, 17000, 17199),
                new CassandraSettings("512m", "dc-eu", "r2", null, null, null));

        NodeConfigWriter.write(node);

        String yaml = Files.readString(node.yamlFile());
        assertThat(yaml)
                .contains("cluster_name: 'snapci-r1'")
                .contains("seeds: \"127.0.0.1:17000\"")
                .contains("storage_port: 17000")
                .contains("native_transport_port: 19042")
                .contains("auto_bootstrap: false")
                .contains("auto_snapshot: false")
                .contains("- '" + dir.resolve("copy/data") + "'")
                .contains("commitlog_directory: '" + dir.resolve("copy/commitlog") + "'")
                .contains("partitioner: " + CassandraSettings.DEFAULT_PARTITIONER);
        assertThat(Files.readString(node.rackDcFile())).isEqualTo("dc=dc-eu\nrack=r2\n");
        assertThat(Files.readString(node.logbackFile())).contains(node.systemLog().toString());
    }

    @Test
    void aMergedCopyOfAClusterHasOneDataDirectoryPerNodeTheFirstNodesFirst() throws Exception {
        Path copy = dir.resolve("copy");
        for (String sub : new String[]{"data", "data-2", "data-10", "data-3", "data-x"}) {
            Files.createDirectories(copy.resolve(sub));
        }
        NodeConfig node = new NodeConfig("snapci-r1", CassandraDirectories.under(copy), dir.resolve("run"),
                new NodePorts(19042, 17000, 17199), CassandraSettings.defaults());

        String yaml = NodeConfigWriter.yaml(node);

        assertThat(yaml).contains("data_file_directories:\n  - '" + copy.resolve("data") + "'\n  - '"
                + copy.resolve("data-2") + "'\n  - '" + copy.resolve("data-3") + "'\n  - '"
                + copy.resolve("data-10") + "'\ncommitlog_directory");
        assertThat(yaml).doesNotContain("data-x");
    }

    @Test
    void aStandInProductionNodeListensOnItsOwnAddressWithTheClustersSeed() {
        NodeConfig node = new NodeConfig("production", CassandraDirectories.under(dir.resolve("n2")),
                dir.resolve("run"), new NodePorts(19042, 17000, 17199), CassandraSettings.defaults(), "127.0.0.2",
                "127.0.0.1:17001");
        assertThat(NodeConfigWriter.yaml(node)).contains("seeds: \"127.0.0.1:17001\"")
                .contains("listen_address: 127.0.0.2").contains("rpc_address: 127.0.0.2");
    }

    @Test
    void theCommandLineKeepsTheNodeInsideItsRunDirectoryAndForgetsTheSourceRing() {
        NodeConfig node = new NodeConfig("snapci-r1", CassandraDirectories.under(dir.resolve("copy")),
                dir.resolve("run"), new NodePorts(19042, 17000, 17199), CassandraSettings.defaults());
        var cmd = NodeCommandLine.build(new CassandraRuntime(dir.resolve("lib"), Path.of("/usr/bin/java")), node);
        assertThat(cmd).contains("-Xmx768m", "-Dcassandra.jmx.local.port=17199", "-Dcassandra.load_ring_state=false",
                "-Duser.home=" + dir.resolve("run"), "org.apache.cassandra.service.CassandraDaemon");
        assertThat(cmd.get(cmd.size() - 2)).isEqualTo(dir.resolve("lib/*").toString());
    }
}
