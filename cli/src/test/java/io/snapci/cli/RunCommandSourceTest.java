package io.snapci.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The source options: a node, several nodes of a cluster, volumes, a selector; what the service is sent. */
class RunCommandSourceTest {

    private static ObjectNode request(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        return run.remoteRequest(Path.of("/work"), Map.of());
    }

    @Test
    void aRepeatedSourceDirIsTheNodesOfACluster() {
        ObjectNode one = request("--source-dir", "/var/lib/cassandra", "--test-cmd", "true");
        assertEquals("{\"dataDir\":\"/var/lib/cassandra\"}", one.get("source").toString());

        ObjectNode three = request("--source-dir", "/n1", "--source-dir", "/n2", "--source-dir", "/n3",
                "--test-cmd", "true");
        assertEquals("{\"dataDirs\":[\"/n1\",\"/n2\",\"/n3\"]}", three.get("source").toString());
    }

    @Test
    void repeatedVolumesOrASelectorAreSnapshottedTogether() {
        assertEquals("{\"volumes\":[\"cassandra-0\",\"cassandra-1\"],\"maxAge\":\"PT1H\"}",
                request("--volume", "cassandra-0", "--volume", "cassandra-1", "--max-age", "1h",
                        "--test-cmd", "true").get("source").toString());
        assertEquals("{\"volume\":\"cassandra-prod\"}",
                request("--volume", "cassandra-prod", "--test-cmd", "true").get("source").toString());
        assertEquals("{\"volumesSelector\":\"app=cassandra,env=prod\"}",
                request("--volumes-selector", "app=cassandra,env=prod", "--test-cmd", "true").get("source")
                        .toString());
    }

    @Test
    void directoriesAndVolumesDoNotMix() {
        assertThrows(CommandLine.ParameterException.class,
                () -> request("--source-dir", "/n1", "--volume", "v", "--test-cmd", "true"));
    }
}
