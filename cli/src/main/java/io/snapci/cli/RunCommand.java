package io.snapci.cli;

import io.snapci.model.SnapciHome;

import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.executor.testcmd.TestCommandException;
import io.snapci.executor.testcmd.TestCommandRunner;
import io.snapci.model.Json;
import io.snapci.model.RunSpec;
import io.snapci.model.mask.MaskRules;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.local.LocalMode;
import io.snapci.scheduler.local.launch.LocalLauncher;
import io.snapci.scheduler.local.launch.RunLocks;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.run.RunService;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapci.cli.display.RunDisplay;
import io.snapci.cli.remote.ClientKeys;
import io.snapci.cli.remote.CommandFailure;
import io.snapci.cli.remote.RemoteRun;
import io.snapci.cli.remote.ServiceEndpoint;
import io.snapci.cli.remote.ServiceOptions;
import io.snapci.cli.remote.SnapciApi;
import io.snapci.cli.remote.UsageException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code snapci run}: test a command against a fresh, writable copy of production Cassandra data. With a service
 * named ({@code --url}, {@code SNAPCI_URL}, or as {@code dcos snapci}) the run is submitted to it and followed;
 * without one it runs here, in this JVM, as it always did.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Copy the production Cassandra data, boot Cassandra on the copy, run the tests against it, "
                + "report, delete the copy: on the snapci service given by --url/SNAPCI_URL (or as `dcos snapci`), "
                + "else on this machine.",
                "Exit code: the tests' own (0 = passed), 2 = bad usage or a request the service refused, "
                        + "3 = snapci could not run them (infrastructure, service unreachable), 130 = cancelled."})
public final class RunCommand implements Callable<Integer> {

    @ArgGroup(multiplicity = "1")
    SourceChoice source;

    static final class SourceChoice {
        @Option(names = "--source-dir", paramLabel = "DIR",
                description = "The production Cassandra data directory to copy (/var/lib/cassandra or its data/). "
                        + "Only ever read. Repeat it for each node of a cluster: one test node then reads them all.")
        List<Path> sourceDirs;

        @Option(names = "--empty", description = "No production data: an empty Cassandra for the tests' own fixtures.")
        boolean empty;

        @Option(names = "--volume", paramLabel = "NAME",
                description = "Service in a cluster: the Portworx volume holding production's Cassandra data. Repeat"
                        + " it for each node of a cluster: they are snapshotted together.")
        List<String> volumes;

        @Option(names = "--volumes-selector", paramLabel = "KEY=VALUE[,KEY=VALUE]",
                description = "Service in a cluster: every Portworx volume with these labels (each node of the"
                        + " production Cassandra service), snapshotted together.")
        String volumesSelector;

        boolean remoteOnly() {
            return volumes != null || volumesSelector != null;
        }
    }

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Option(names = "--max-age", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --volume: reuse a scheduled snapshot up to this old instead of taking a fresh one.")
    Duration maxAge;

    @Option(names = "--test-image", paramLabel = "IMAGE",
            description = "Service in a cluster: the container image the tests run in (with your checkout and tools).")
    String testImage;

    @Option(names = "--client-key", paramLabel = "KEY",
            description = "Service: submitting twice under one key gives one run (default: from the CI job: "
                    + "CI_PROJECT_PATH/CI_JOB_ID, BUILD_TAG, GITHUB_RUN_ID...).")
    String clientKey;

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "Service: a label to find the run by.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--plain", description = "Service: plain progress lines even on a terminal.")
    boolean plain;

    @Option(names = "--reconnect-for", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "5m", description = "Service: how long to keep reopening a broken event stream "
            + "(default: ${DEFAULT-VALUE}).")
    Duration reconnectFor;

    @Option(names = "--test-cmd", required = true, paramLabel = "CMD",
            description = "The shell command that runs the tests, e.g. \"mvn -q test\".")
    String testCommand;

    @Option(names = "--mask", paramLabel = "FILE",
            description = "Mask the copy before the tests run, by the rules in FILE (one a line, "
                    + "keyspace.table.column: transform; docs/masking.md).")
    Path maskFile;

    @Option(names = "--mask-ruleset", paramLabel = "NAME",
            description = "Service: mask the copy by the service's rule set NAME (its masking.rulesDir holds "
                    + "NAME.rules), plus the rules of --mask if given.")
    String maskRuleSet;

    @Option(names = "--workdir", paramLabel = "DIR", description = "Where the test command runs (default: here).")
    Path workDir;

    @Option(names = "--junit", paramLabel = "GLOB",
            description = "Where the tests write JUnit XML, relative to the workdir, e.g. 'target/surefire-reports/*.xml'.")
    String junitGlob;

    @Option(names = "--junit-out", paramLabel = "FILE", description = "Write the merged JUnit XML here for the CI system.")
    Path junitOut;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Extra environment for the test command.")
    Map<String, String> env = new LinkedHashMap<>();

    @Mixin
    CassandraOptions cassandra = new CassandraOptions();

    @Mixin
    TimeoutOptions timeouts = new TimeoutOptions();

    @Option(names = "--work-root", paramLabel = "DIR",
            description = "Where copies, logs and run records go (default: $SNAPCI_HOME or ~/.snapci). Put it on the "
                    + "source's filesystem so copies are hard links.")
    Path workRoot;

    @Override
    public Integer call() throws InterruptedException {
        try {
            Optional<ServiceEndpoint> endpoint = service.endpoint(System.getenv());
            if (endpoint.isPresent()) {
                return executeRemotely(new SnapciApi(endpoint.get()), System.out, System.err);
            }
            onlyWithAService();
        } catch (CommandFailure e) {
            System.err.println("snapci: " + e.describe());
            return e.exitCode();
        }
        return execute(System.out, System.err);
    }

    private void onlyWithAService() {
        String given = source.volumes != null ? "--volume" : source.volumesSelector != null
                ? "--volumes-selector" : maxAge != null ? "--max-age" : testImage != null
                ? "--test-image" : clientKey != null ? "--client-key" : !labels.isEmpty() ? "--label"
                : service.anyGiven() ? "--token, --token-file or --service-name" : null;
        if (given != null) {
            throw new UsageException(given + " is for runs on a snapci service, and none is given",
                    "give --url URL (or set SNAPCI_URL), or run it as `dcos snapci run`");
        }
    }

    private int executeRemotely(SnapciApi api, PrintStream out, PrintStream err) throws InterruptedException {
        if (workRoot != null) {
            throw new UsageException("--work-root is for runs on this machine; the service has its own", null);
        }
        ObjectNode request = remoteRequest(Path.of("").toAbsolutePath().normalize(), System.getenv());
        return new RemoteRun(api, id -> RunDisplay.forOutput(out, err, plain, id), reconnectFor)
                .execute(request, junitOut);
    }

    /** The run spec as docs/api.md has it, with only what was given (the service fills in its own defaults). */
    ObjectNode remoteRequest(Path here, Map<String, String> ciEnv) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        Optional.ofNullable(clientKey).or(() -> ClientKeys.fromCi(ciEnv)).ifPresent(k -> request.put("clientKey", k));
        request.put("testCommand", testCommand);
        putIfSet(request, "testImage", testImage);
        request.put("workDir", (workDir == null ? here : here.resolve(workDir)).normalize().toString());
        putIfSet(request, "junitGlob", junitGlob);
        if (!source.empty) {
            ObjectNode from = request.putObject("source");
            if (source.remoteOnly()) {
                if (source.volumesSelector != null) {
                    from.put("volumesSelector", source.volumesSelector);
                } else if (source.volumes.size() == 1) {
                    from.put("volume", source.volumes.get(0));
                } else {
                    source.volumes.forEach(from.putArray("volumes")::add);
                }
                putIfSet(from, "maxAge", maxAge == null ? null : maxAge.toString());
            } else if (source.sourceDirs.size() == 1) {
                from.put("dataDir", source.sourceDirs.get(0).toAbsolutePath().normalize().toString());
            } else {
                source.sourceDirs.forEach(d -> from.withArray("dataDirs")
                        .add(d.toAbsolutePath().normalize().toString()));
            }
        }
        if (!env.isEmpty()) {
            env.forEach(request.putObject("env")::put);
        }
        if (!labels.isEmpty()) {
            labels.forEach(request.putObject("labels")::put);
        }
        if (maskFile != null || maskRuleSet != null) {
            try {
                request.set("mask", Json.mapper().valueToTree(maskRules().withRuleSet(maskRuleSet)));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), null);
            }
        }
        timeouts.writeTo(request);
        cassandra.writeTo(request);
        return request;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    int execute(PrintStream out, PrintStream err) {
        Path dir = (workDir == null ? Path.of("") : workDir).toAbsolutePath().normalize();
        RunSpec spec;
        if (maskRuleSet != null) {
            err.println("snapci: --mask-ruleset names a rule set of a snapci service (its masking.rulesDir): give "
                    + "--url (or SNAPCI_URL), or write the rules in a file and give --mask FILE");
            return ExitCodes.USAGE;
        }
        try {
            spec = spec(dir);
            TestCommandRunner.preflight(testCommand, dir, spec.env());
        } catch (IllegalArgumentException | TestCommandException e) {
            err.println("snapci: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        LocalMode local;
        try {
            local = new LocalMode(workRoot == null ? SnapciHome.defaultWorkRoot() : workRoot,
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
        Source from = source.empty ? null : Source.dataDirs(source.sourceDirs.stream()
                .map(d -> d.toAbsolutePath().normalize().toString()).toList());
        return new RunSpec(from, testCommand, null, dir.toString(), env, junitGlob, timeouts.timeouts(),
                cassandra.settings(), Map.of(), maskRules());
    }

    /** The rules of --mask; none without it. Throws IllegalArgumentException naming the file and the line. */
    private MaskRules maskRules() {
        if (maskFile == null) {
            return MaskRules.none();
        }
        try {
            return MaskRules.parse(Files.readString(maskFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("--mask: cannot read " + maskFile + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mask " + maskFile + ": " + e.getMessage(), e);
        }
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
            String runId = queued.id();
            CancelOnShutdown hook = CancelOnShutdown.install(runId, printer::note, () -> {
                printer.note("interrupted: cancelling run " + runId + " and cleaning up");
                service.cancel(runId);
                return true;
            });
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

    public static String summary(RunStatus run) {
        String tests = run.tests() == null ? "" : " (" + run.tests().summary() + ")";
        String cleaned = run.cleanedUp() ? "copy deleted" : "COPY NOT DELETED";
        return run.phase() + tests + ", " + cleaned + ", exit code " + ExitCodes.of(run);
    }
}
