package io.snapci.cli;

import io.snapci.cli.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code snapci} command. */
@Command(name = "snapci", mixinStandardHelpOptions = true, versionProvider = SnapciCli.Version.class,
        description = "Test every CI run against a fresh, writable copy of production Cassandra data.",
        subcommands = {RunCommand.class, ServeCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class SnapciCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
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
