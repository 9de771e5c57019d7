package io.snapci.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceTest {

    @Test
    void aClusterIsSeveralDirectoriesSeveralVolumesOrASelector() throws Exception {
        Source dirs = Source.dataDirs(List.of("/n1", "/n2", "/n3"));
        assertTrue(dirs.isCluster());
        assertTrue(dirs.isLocal());
        assertEquals(List.of("/n1", "/n2", "/n3"), dirs.nodeDirs());
        assertEquals("3 nodes /n1, /n2, /n3", dirs.describe());
        assertEquals(dirs, Json.mapper().readValue(Json.mapper().writeValueAsString(dirs), Source.class));

        Source volumes = new Source(null, null, Duration.ofHours(1), null, List.of("c-1", "c-2"), null);
        assertEquals("2 volumes c-1, c-2 (data up to PT1H old)", volumes.describe());
        assertFalse(volumes.isLocal());
        assertEquals(2, Source.selectorLabels(Source.volumesSelector("app=cassandra, env=prod").volumesSelector())
                .size());
    }

    @Test
    void aOneNodeSourceKeepsItsJson() throws Exception {
        assertEquals("{\"dataDir\":\"/var/lib/cassandra\",\"volume\":null,\"maxAge\":null}",
                Json.mapper().writeValueAsString(Source.dataDir("/var/lib/cassandra")));
        assertEquals(Source.dataDir("/a"), Source.dataDirs(List.of("/a")));
    }

    @Test
    void badClustersAreRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> new Source("/a", null, null, List.of("/b", "/c"), null,
                null), "two kinds");
        assertThrows(IllegalArgumentException.class, () -> new Source(null, null, null, List.of("/b"), null, null),
                "a cluster of one");
        assertThrows(IllegalArgumentException.class, () -> Source.volumesSelector("app"));
        assertThrows(IllegalArgumentException.class, () -> new Source(null, null, Duration.ofHours(1),
                List.of("/a", "/b"), null, null), "maxAge on directories");
    }
}
