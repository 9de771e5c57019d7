package io.snapci.cli;

import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.executor.testcmd.TestCommandException;
import io.snapci.executor.testcmd.TestCommandRunner;
import io.snapci.model.CassandraSettings;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.model.Timeouts;
import io.snapci.scheduler.LocalMode;
import io.snapci.scheduler.launch.local.LocalLauncher;
import io.snapci.scheduler.launch.local.RunLocks;
import io.snapci.scheduler.storage.StorageException;
import io.snapci.scheduler.run.RunService;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code snapci run}: test a command against a fresh, writable copy of a Cassandra data directory. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Copy a Cassandra data directory, boot Cassandra on the copy, run the tests against it, "
                + "report, delete the copy.",
                "Exit code: the tests' own (0 = passed), 3 = snapci could not run them (infrastructure), "
                        + "130 = cancelled."})
public final class RunCommand implements Callable<Integer> {

    @ArgGroup(multiplicity = "1")
    SourceChoice source;

    static final class SourceChoice {
        @Option(names = "--source-dir", paramLabel = "DIR",
                description = "The production Cassandra data directory to copy (/var/lib/cassandra or its data/). "
                        + "Only ever read.")
        Path sourceDir;

        @Option(names = "--empty", description = "No production data: an empty Cassandra for the tests' own fixtures.")
        boolean empty;
    }

    @Option(names = "--test-cmd", required = true, paramLabel = "CMD",
            description = "The shell command that runs the tests, e.g. \"mvn -q test\".")
    String testCommand;

    @Option(names = "--workdir", paramLabel = "DIR", description = "Where the test command runs (default: here).")
    Path workDir;

    @Option(names = "--junit", paramLabel = "GLOB",
            description = "Where the tests write JUnit XML, relative to the workdir, e.g. 'target/surefire-reports/*.xml'.")
    String junitGlob;

    @Option(names = "--junit-out", paramLabel = "FILE", description = "Write the merged JUnit XML here for the CI system.")
    Path junitOut;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Extra environment for the test command.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--heap", paramLabel = "SIZE", description = "Cassandra's heap (default: ${DEFAULT-VALUE}).",
            defaultValue = CassandraSettings.DEFAULT_HEAP)
    String heap;

    @Option(names = "--datacenter", paramLabel = "DC",
            description = "The datacenter name the copy's keyspaces replicate to (default: ${DEFAULT-VALUE}).",
            defaultValue = CassandraSettings.DEFAULT_DATACENTER)
    String datacenter;

    @Option(names = "--partitioner", paramLabel = "CLASS",
            description = "The source cluster's partitioner (default: Murmur3Partitioner).")
    String partitioner;

    @Option(names = "--cql-port", paramLabel = "PORT", description = "CQL port for the copy (default: a free one).")
    Integer cqlPort;

    @Option(names = "--ready-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long Cassandra may take to answer CQL (default: 3m).")
    Duration readyTimeout;

    @Option(names = "--test-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long the tests may run (default: 60m).")
    Duration testTimeout;

    @Option(names = "--run-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Hard deadline for the whole run (default: 90m).")
    Duration runTimeout;

    @Option(names = "--work-root", paramLabel = "DIR",
            description = "Where copies, logs and run records go (default: $SNAPCI_HOME or ~/.snapci). Put it on the "
                    + "source's filesystem so copies are hard links.")
    Path workRoot;

    @Override
    public Integer call() {
        return execute(System.out, System.err);
    }

    int execute(PrintStream out, PrintStream err) {
        Path dir = (workDir == null ? Path.of("") : workDir).toAbsolutePath().normalize();
        RunSpec spec;
        try {
            spec = spec(dir);
            TestCommandRunner.preflight(testCommand, dir, spec.env());
        } catch (IllegalArgumentException | TestCommandException e) {
            err.println("snapci: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        LocalMode local;
        try {
            local = new LocalMode(workRoot == null ? LocalMode.defaultWorkRoot() : workRoot,
                    CassandraRuntime.locate(), dir, Clock.systemUTC());
        } catch (IllegalStateException e) {
            err.println("snapci: " + e.getMessage());
            return ExitCodes.INFRASTRUCTURE;
        }
        ProgressPrinter printer = new ProgressPrinter(out, err);
        RunStatus result = runToEnd(local, spec, printer);
        copyJUnit(local.launcher(), result, printer);
        printer.note(summary(result));
        return ExitCodes.of(result);
    }

    private RunSpec spec(Path dir) {
        Source from = source.empty ? null : Source.dataDir(source.sourceDir.toAbsolutePath().normalize().toString());
        return new RunSpec(from, testCommand, null, dir.toString(), env, junitGlob,
                new Timeouts(readyTimeout, testTimeout, runTimeout),
                new CassandraSettings(heap, datacenter, null, partitioner, List.of(), cqlPort), Map.of());
    }

    /** Submits and drives the run; Ctrl-C (or SIGTERM) cancels it and waits until its copy and processes are gone. */
    public static RunStatus runToEnd(LocalMode local, RunSpec spec, ProgressPrinter printer) {
        try {
            local.cleanUpAbandonedRuns().forEach(printer::note);
        } catch (StorageException e) {
            printer.note("could not clean up after earlier runs: " + e.getMessage());
        }
        RunService service = local.service();
        service.addObserver(printer);
        RunStatus queued = service.submit(spec);
        printer.note("run " + queued.id() + " (logs in " + local.launcher().runDir(queued.id()) + ")");
        try (RunLocks.Held owned = local.locks().hold(queued.id())) {
            CancelOnShutdown hook = CancelOnShutdown.install(service, queued.id(), printer);
            try {
                return service.execute(queued.id());
            } finally {
                hook.runEnded();
            }
        } finally {
            service.removeObserver(printer);
        }
    }

    private void copyJUnit(LocalLauncher launcher, RunStatus result, ProgressPrinter printer) {
        Path merged = launcher.runDir(result.id()).resolve(LocalLauncher.MERGED_JUNIT);
        if (junitOut == null) {
            return;
        }
        if (!Files.isRegularFile(merged)) {
            printer.note("no JUnit reports matched " + (junitGlob == null ? "(no --junit given)" : junitGlob)
                    + "; nothing written to " + junitOut);
            return;
        }
        try {
            Path target = junitOut.toAbsolutePath();
            Files.createDirectories(target.getParent());
            Files.copy(merged, target, StandardCopyOption.REPLACE_EXISTING);
            printer.note("JUnit XML written to " + target);
        } catch (IOException e) {
            printer.note("could not write JUnit XML to " + junitOut + ": " + e.getMessage());
        }
    }

    static String summary(RunStatus run) {
        String tests = run.tests() == null ? "" : " (" + run.tests().summary() + ")";
        String cleaned = run.cleanedUp() ? "copy deleted" : "COPY NOT DELETED";
        return run.phase() + tests + ", " + cleaned + ", exit code " + ExitCodes.of(run);
    }
}
