package io.snapci.tests.mask;

import io.snapci.cli.ProgressPrinter;
import io.snapci.cli.RunCommand;
import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.model.mask.MaskRules;
import io.snapci.scheduler.local.LocalMode;
import io.snapci.tests.support.LeftoverProcesses;
import io.snapci.tests.support.Snapci;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guestbook's production data with people in it ({@link PiiGuestbook}), masked by a local run: its copy answers
 * with no original value and holds none in any file, the same e-mail masks to the same value in both tables, and the
 * guestbook's tests still fail on Zoë's quote.
 */
class MaskingStoryTest {

    @TempDir
    Path dir;

    @Test
    void aMaskedCopyHoldsNoOriginalAnywhereAndStillFailsOnZoesQuote() throws Exception {
        PiiGuestbook production = PiiGuestbook.get();
        Path workRoot = dir.resolve("work");
        Path originalsFile = production.originalsFile(dir);
        Path report = dir.resolve("inspection.txt");
        String command = Snapci.javaBinary() + " -cp '" + Snapci.testClasspath() + "' "
                + CopyInspection.class.getName() + " " + workRoot.resolve("clones") + "/$SNAPCI_RUN_ID "
                + originalsFile + " " + report + " && mvn -B -q test";
        Path app = Snapci.repoRoot().resolve("examples/guestbook");
        RunSpec spec = new RunSpec(Source.dataDir(production.home().toString()), command, null, app.toString(),
                Map.of(), "target/surefire-reports/*.xml", null, null, Map.of(), MaskRules.parse(PiiGuestbook.RULES));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LocalMode local = new LocalMode(workRoot, Snapci.cassandraRuntime(), app, Clock.systemUTC());
        RunStatus run = RunCommand.runToEnd(local, spec, new ProgressPrinter(
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        String progress = out.toString(StandardCharsets.UTF_8);
        System.out.println(progress);

        assertThat(run.history()).extracting(h -> h.phase())
                .containsSubsequence(Phase.STARTING_CASSANDRA, Phase.MASKING, Phase.TESTING);
        assertThat(progress).contains("masked crm.customers").contains("compacting");
        CopyInspection.assertMasked(Files.readAllLines(report, StandardCharsets.UTF_8));

        assertThat(run.phase()).as(run.message()).isEqualTo(Phase.FAILED);
        assertThat(run.message()).contains("ë");
        assertThat(production.foundUnder(workRoot.resolve("runs"))).as("originals in the run's logs").isEmpty();
        assertThat(LeftoverProcesses.mentioning(workRoot)).as("processes of the run left").isEmpty();
    }
}
