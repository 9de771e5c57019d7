package io.snapci.cli;

import io.snapci.cli.demo.DemoCommand;
import io.snapci.cli.service.CancelCommand;
import io.snapci.cli.service.ListCommand;
import io.snapci.cli.service.LogsCommand;
import io.snapci.cli.service.SchedulesCommand;
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
                CancelCommand.class, SnapshotsCommand.class, SchedulesCommand.class, ServeCommand.class,
                DemoCommand.class, CommandLine.HelpCommand.class})
public final class SnapciCli implements Callable<Integer> {

    /** Also the one line {@code dcos snapci --info} prints, as the dcos CLI lists its subcommands with it. */
    static final String DESCRIPTION = "Test every CI run against a fresh, writable copy of production Cassandra data";

    @Option(names = "--info", description = "Print a one-line description (the DC/OS CLI subcommand convention).")
    boolean info;

    public static void main(String[] args) {
        System.exit(commandLine().execute(dcosArguments(args, System.getenv())));
    }

    /**
     * The dcos CLI runs a plugin's executable with the subcommand's name first ({@code dcos-snapci snapci run ...}).
     * The plugin's launcher drops it; dropped here too, so the jar works behind any launcher.
     */
    static String[] dcosArguments(String[] args, Map<String, String> env) {
        boolean asPlugin = env.containsKey("DCOS_CLI_EXECUTABLE_PATH");
        return asPlugin && args.length > 0 && args[0].equals("snapci") ? Arrays.copyOfRange(args, 1, args.length)
                : args;
    }

    @Override
    public Integer call() {
        CommandLine cli = commandLine();
        if (info) {
            cli.getOut().println(DESCRIPTION);
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

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SnapciCli.class.getPackage().getImplementationVersion();
            return new String[]{"snapci " + (version == null ? "development build" : version)};
        }
    }
}
