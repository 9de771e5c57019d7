package io.snapci.tests.cli;

import io.snapci.tests.support.Snapci;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.spi.ToolProvider;

/**
 * The {@code dcos snapci} plugin as {@code dcos package install snapci --cli} unpacks it (packaging/'s
 * dcos-cli.xml): {@code bin/dcos-snapci} and {@code bin/java-runtime.sh} from packaging/, {@code lib/} with the
 * CLI's jars (this build's class directories are jarred, as the package's jars are). And a {@code dcos} command
 * standing in for the dcos CLI: {@code dcos snapci ...} runs the plugin as dcos-cli runs plugins (its executable,
 * the subcommand's name first, {@code DCOS_CLI_EXECUTABLE_PATH} and the attached cluster's {@code DCOS_URL},
 * {@code DCOS_ACS_TOKEN}, {@code DCOS_TLS_INSECURE}); it knows no other subcommand.
 */
final class DcosPluginInstall {

    final Path pluginHome;
    final Path binDir;

    private DcosPluginInstall(Path pluginHome, Path binDir) {
        this.pluginHome = pluginHome;
        this.binDir = binDir;
    }

    static DcosPluginInstall into(Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("plugins/snapci"));
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path dist = Snapci.repoRoot().resolve("packaging/src/main/dist");
        Files.copy(dist.resolve("cli-plugin/bin/dcos-snapci"), bin.resolve("dcos-snapci"));
        Files.copy(dist.resolve("common/java-runtime.sh"), bin.resolve("java-runtime.sh"));
        executable(bin.resolve("dcos-snapci"));
        Path lib = Files.createDirectories(home.resolve("lib"));
        int n = 0;
        for (String entry : Snapci.testClasspath().split(File.pathSeparator)) {
            Path path = Path.of(entry);
            String name = (n++) + "-" + path.getFileName();
            if (Files.isDirectory(path)) {
                jar(path, lib.resolve(name + ".jar"));
            } else if (entry.endsWith(".jar")) {
                Files.copy(path, lib.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path dcosBin = Files.createDirectories(dir.resolve("dcos-cli"));
        Files.writeString(dcosBin.resolve("dcos"), """
                #!/usr/bin/env bash
                set -euo pipefail
                if [ "${1:-}" != "snapci" ]; then
                    echo "this test's dcos only runs the snapci plugin: dcos snapci ..." >&2
                    exit 1
                fi
                export DCOS_CLI_EXECUTABLE_PATH="$0" DCOS_URL="$TEST_CLUSTER_URL" DCOS_ACS_TOKEN="$TEST_ACS_TOKEN"
                export DCOS_TLS_INSECURE=1
                exec "%s/bin/dcos-snapci" "$@"
                """.formatted(home));
        executable(dcosBin.resolve("dcos"));
        return new DcosPluginInstall(home, dcosBin);
    }

    private static void jar(Path classes, Path jar) {
        ToolProvider tool = ToolProvider.findFirst("jar").orElseThrow();
        StringWriter errors = new StringWriter();
        int code = tool.run(new PrintWriter(new StringWriter()), new PrintWriter(errors), "--create", "--file",
                jar.toString(), "-C", classes.toString(), ".");
        if (code != 0) {
            throw new IllegalStateException("jar " + classes + ": " + errors);
        }
    }

    private static void executable(Path file) throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
