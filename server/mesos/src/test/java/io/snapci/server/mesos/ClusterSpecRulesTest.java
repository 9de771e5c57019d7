package io.snapci.server.mesos;

import io.snapci.model.RunSpec;
import io.snapci.model.Source;
import io.snapci.server.ApiProblem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a run on the cluster may name as its source: one volume; directories and (for now) clusters of volumes not. */
class ClusterSpecRulesTest {

    private static RunSpec on(Source source) {
        return new RunSpec(source, "mvn test", "maven:3", null, Map.of(), null, null, null, Map.of());
    }

    @Test
    void oneVolumeIsFineDirectoriesAndClustersOfVolumesAreRefusedNamingTheField() {
        ClusterSpecRules rules = new ClusterSpecRules();
        assertDoesNotThrow(() -> rules.check(on(Source.volume("cassandra-prod"))));

        ApiProblem dirs = assertThrows(ApiProblem.class,
                () -> rules.check(on(Source.dataDirs(List.of("/n1", "/n2")))));
        assertEquals("source.dataDirs", dirs.body().field());

        ApiProblem volumes = assertThrows(ApiProblem.class,
                () -> rules.check(on(Source.volumes(List.of("c-0", "c-1")))));
        assertEquals("source.volumes", volumes.body().field());
        assertTrue(volumes.body().message().contains("not copied in mesos mode yet"), volumes.body().message());

        ApiProblem selector = assertThrows(ApiProblem.class,
                () -> rules.check(on(Source.volumesSelector("app=cassandra"))));
        assertEquals("source.volumesSelector", selector.body().field());
    }
}
