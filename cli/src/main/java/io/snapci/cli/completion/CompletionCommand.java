package io.snapci.cli.completion;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code snapci completion bash}: prints the bash completion script; {@code source <(snapci completion bash)}. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script: source <(snapci completion bash), or save it as",
                "/etc/bash_completion.d/snapci. The dcos snapci plugin brings its own."})
public final class CompletionCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SHELL", description = "The shell: bash.", completionCandidates = Shells.class)
    String shell;

    @Option(names = "--dcos-plugin", hidden = true,
            description = "The plugin's script: only the function the dcos CLI calls, no `complete` line.")
    boolean dcosPlugin;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!"bash".equals(shell)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "only bash is supported, not '" + shell + "'");
        }
        spec.commandLine().getOut().print(BashCompletion.script(spec.root().commandLine(), !dcosPlugin));
        spec.commandLine().getOut().flush();
        return 0;
    }

    static final class Shells implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("bash").iterator();
        }
    }
}
