package io.snapci.cli;

import io.snapci.cli.completion.CompletionCommand;
import io.snapci.cli.demo.DemoCommand;
import io.snapci.cli.remote.HttpTrace;
import io.snapci.cli.remote.PluginSettings;
import io.snapci.cli.remote.ServiceOptions;
import io.snapci.cli.service.CancelCommand;
import io.snapci.cli.service.ListCommand;
import io.snapci.cli.service.LogsCommand;
import io.snapci.cli.service.SchedulesCommand;
import io.snapci.cli.service.AuditCommand;
import io.snapci.cli.service.SnapshotsCommand;
import io.snapci.cli.service.StatusCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code snapci} command, standalone ({@code snapci run ...}) and as the DC/OS CLI's subcommand
 * ({@code dcos snapci run ...}, see {@link io.snapci.cli.remote.ServiceOptions} for how the cluster is found).
 */
@Command(name = "snapci", mixinStandardHelpOptions = true, versionProvider = SnapciCli.Version.class,
        description = SnapciCli.DESCRIPTION,
        subcommands = {RunCommand.class, StatusCommand.class, ListCommand.class, LogsCommand.class,
                CancelCommand.class, SnapshotsCommand.class, SchedulesCommand.class, AuditCommand.class,
                ServeCommand.class,
                DemoCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class})
public final class SnapciCli implements Callable<Integer> {

    /** Also the one line {@code dcos snapci --info} prints, as the dcos CLI lists its subcommands with it. */
    static final String DESCRIPTION = "Test every CI run against a fresh, writable copy of production Cassandra data";

    @Option(names = "--info", description = "Print a one-line description (the DC/OS CLI subcommand convention).")
    boolean info;

    /** dcos CLI 0.6 and older ask for it on `dcos config set snapci.<key>`, to validate the value. */
    @Option(names = "--config-schema", hidden = true,
            description = "Print the JSON schema of the snapci.* settings of the dcos CLI.")
    boolean configSchema;

    /** On every subcommand, so that `dcos snapci list -v` and `snapci -v list` both work. */
    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Show the HTTP calls to the service on standard error (-vv: with their headers). "
                    + "As `dcos snapci`, `dcos -v`/`-vv` (DCOS_LOG_LEVEL) do the same.")
    void verbose(boolean[] verbosity) {
        HttpTrace.atLeast(verbosity.length);
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        HttpTrace.atLeast(HttpTrace.fromEnvironment(env));
        System.exit(commandLine(env).execute(dcosArguments(args, env)));
    }

    /**
     * The dcos CLI runs a plugin's executable with the subcommand's name first ({@code dcos-snapci snapci run ...}).
     * The plugin's launcher drops it; dropped here too, so the jar works behind any launcher.
     */
    static String[] dcosArguments(String[] args, Map<String, String> env) {
        boolean asPlugin = ServiceOptions.asDcosPlugin(env);
        return asPlugin && args.length > 0 && args[0].equals("snapci") ? Arrays.copyOfRange(args, 1, args.length)
                : args;
    }

    @Override
    public Integer call() {
        CommandLine cli = commandLine(System.getenv());
        if (info) {
            cli.getOut().println(DESCRIPTION);
            return 0;
        }
        if (configSchema) {
            cli.getOut().println(PluginSettings.schema());
            return 0;
        }
        // No subcommand: say what there is, as `dcos snapci` with no arguments does for other subcommands.
        cli.usage(cli.getErr());
        return ExitCodes.USAGE;
    }

    public static CommandLine commandLine() {
        // picocli exits 2 on invalid input, which is ExitCodes.USAGE.
        return new CommandLine(new SnapciCli());
    }

    /** As the dcos CLI's subcommand the usage says `dcos snapci ...`, the command the user types. */
    public static CommandLine commandLine(Map<String, String> env) {
        CommandLine cli = commandLine();
        if (ServiceOptions.asDcosPlugin(env)) {
            cli.setCommandName("dcos snapci");
        }
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SnapciCli.class.getPackage().getImplementationVersion();
            return new String[]{"snapci " + (version == null ? "development build" : version)};
        }
    }
}
