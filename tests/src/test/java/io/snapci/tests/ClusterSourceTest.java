package io.snapci.tests;

import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.local.LocalMode;
import io.snapci.tests.support.SpreadShop;
import io.snapci.tests.support.ReadEveryRow;
import io.snapci.tests.support.RecordingObserver;
import io.snapci.tests.support.Snapci;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole production cluster as the source: three nodes on 127.0.0.1-3 with RF 2, so no node holds every row,
 * written through CQL at QUORUM; then two nodes drained and stopped and the third still running with writes only in
 * its commit log. A run over the three Cassandra homes boots one test node that returns every row exactly once
 * (count and checksum equal to what was written), takes the tests' writes, and leaves every production file as it
 * was. The production cluster is the suite's shared {@link SpreadShop}.
 */
class ClusterSourceTest {

    @TempDir
    Path dir;

    @Test
    void oneTestNodeOverTheThreeNodesReturnsEveryRowOnceAndProductionIsUnchanged() throws Exception {
        SpreadShop shop = SpreadShop.get();
        List<Path> homes = shop.homes();
        SpreadShop.ProductionFiles before = shop.productionFiles();
        LocalMode local = new LocalMode(dir.resolve("work"), Snapci.cassandraRuntime(), dir, Clock.systemUTC());
        RecordingObserver observer = new RecordingObserver();
        local.service().addObserver(observer);
        String command = "'" + Snapci.javaBinary() + "' -cp '" + Snapci.testClasspath() + "' "
                + ReadEveryRow.class.getName();
        RunSpec spec = new RunSpec(Source.dataDirs(homes.stream().map(Path::toString).toList()), command, null,
                dir.toString(), Map.of(), null, null, null, Map.of());

        RunStatus run = local.service().execute(local.service().submit(spec).id());

        assertEquals(Phase.PASSED, run.phase(), run.message() + "\n" + observer.outputText());
        assertTrue(observer.output.contains(shop.everyRowOnce()), "every row once, as production has it:\n"
                + observer.outputText());
        assertTrue(observer.output.contains("wrote " + ReadEveryRow.WRITES + " rows and read " + ReadEveryRow.WRITES
                + " back"), observer.outputText());
        assertEquals(List.of(), before.changes());
        assertTrue(run.cleanedUp());
        SourceIsNeverWrittenTest.assertNoCopyOrProcessLeft(local);
    }
}
