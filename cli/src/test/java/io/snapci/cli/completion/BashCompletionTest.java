package io.snapci.cli.completion;

import io.snapci.cli.SnapciCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The completion script, sourced into a real bash and asked what it completes, as bash asks it on Tab. */
class BashCompletionTest {

    @TempDir
    Path dir;

    private String script(String... args) {
        var cli = SnapciCli.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        List<String> all = new ArrayList<>(List.of("completion", "bash"));
        all.addAll(List.of(args));
        assertEquals(0, cli.execute(all.toArray(String[]::new)));
        return out.toString();
    }

    /** COMPREPLY after {@code _dcos_snapci} for the words typed so far, the last one being completed. */
    private String complete(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String word : words) {
            array.append(" '").append(word.replace("'", "'\\''")).append("'");
        }
        String program = "source '" + script + "'; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; _dcos_snapci; echo \"${COMPREPLY[*]}\"";
        Process bash = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, bash.exitValue(), output);
        return output;
    }

    @Test
    void thePluginsFunctionCompletesDcosSnapciCommandsOptionsAndValues() throws Exception {
        Path script = Files.writeString(dir.resolve("snapci"), script("--dcos-plugin"));
        assertFalse(Files.readString(script).contains("complete -F"), "the dcos CLI registers nothing of ours");
        assertEquals("list", complete(script, "dcos", "snapci", "li"));
        assertEquals("status snapshots schedules serve", complete(script, "dcos", "snapci", "s"));
        assertEquals("create", complete(script, "dcos", "snapci", "snapshots", "c"));
        assertEquals("list create delete", complete(script, "dcos", "snapci", "schedules", ""));
        assertEquals("--test-image --test-cmd --test-timeout", complete(script, "dcos", "snapci", "run", "--te"));
        assertEquals("--service-name", complete(script, "dcos", "snapci", "list", "--serv"));
        assertEquals("bash", complete(script, "dcos", "snapci", "completion", ""));
        // An option's value: no subcommand offered where a token goes, file names where a file goes.
        assertEquals("", complete(script, "dcos", "snapci", "list", "--token", ""));
        Files.createDirectories(dir.resolve("junit-reports"));
        assertEquals("junit-reports", complete(script, "dcos", "snapci", "run", "--junit-out", "junit-r"));
        // Options before the subcommand, and the subcommand's own options after it.
        assertEquals("--tail", complete(script, "dcos", "snapci", "-v", "logs", "r1", "--tai"));
    }

    @Test
    void theStandaloneScriptRegistersItselfForSnapci() throws Exception {
        Path script = Files.writeString(dir.resolve("snapci.bash"), script());
        Process bash = new ProcessBuilder("bash", "--norc", "--noprofile", "-c",
                "source '" + script + "'; complete -p snapci").redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
        assertEquals("complete -F _dcos_snapci snapci", output);
        assertEquals("demo", complete(script, "./snapci", "dem"));
        assertEquals("--source-dir", complete(script, "snapci", "run", "--source-d"));
    }

    @Test
    void onlyBashIsOffered() {
        var cli = SnapciCli.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, cli.execute("completion", "zsh"));
    }
}
