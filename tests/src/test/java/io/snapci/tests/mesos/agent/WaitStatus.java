package io.snapci.tests.mesos.agent;

import java.util.Map;

/**
 * How a container's main process ended, as {@code wait(2)} reports it, and the words the default executor puts in
 * the task's status message: {@code "Command " + WSTRINGIFY(status)} (mesos 1.11.0
 * {@code src/launcher/default_executor.cpp:933}; {@code WSTRINGIFY} in {@code src/common/status_utils.hpp:32-59}:
 * "exited with status N", "terminated with signal &lt;strsignal&gt;").
 *
 * <p>Java reports a process killed by signal N as exit value 128 + N ({@code ProcessImpl}), which cannot be told from
 * {@code exit(128 + N)}. The peer resolves it with what it knows: a value of 128 + N is a signal only when the peer
 * itself sent signal N to that process (a kill, an escalation, a memory-limit kill). A task that dies of a signal
 * nobody here sent (a segfault, {@code kill -9 $$}) is therefore reported as "exited with status 128+N"; the peer's
 * kills, which are what schedulers react to, are reported exactly.
 *
 * @param exited  true for a normal exit ({@code WIFEXITED}), false for a signal ({@code WIFSIGNALED})
 * @param code    the exit status or the signal number
 */
public record WaitStatus(boolean exited, int code) {

    static final int SIGTERM = 15;
    static final int SIGKILL = 9;

    /** {@code strsignal(3)} of glibc for the signals a task can meet here. */
    private static final Map<Integer, String> STRSIGNAL = Map.ofEntries(
            Map.entry(1, "Hangup"), Map.entry(2, "Interrupt"), Map.entry(3, "Quit"),
            Map.entry(4, "Illegal instruction"), Map.entry(6, "Aborted"), Map.entry(7, "Bus error"),
            Map.entry(8, "Floating point exception"), Map.entry(9, "Killed"), Map.entry(10, "User defined signal 1"),
            Map.entry(11, "Segmentation fault"), Map.entry(12, "User defined signal 2"), Map.entry(13, "Broken pipe"),
            Map.entry(14, "Alarm clock"), Map.entry(15, "Terminated"));

    static WaitStatus exitedWith(int code) {
        return new WaitStatus(true, code);
    }

    static WaitStatus signaled(int signal) {
        return new WaitStatus(false, signal);
    }

    /** {@code WSUCCEEDED}: exited with status 0. */
    public boolean succeeded() {
        return exited && code == 0;
    }

    /** {@code WSTRINGIFY(status)}. */
    public String describe() {
        return exited ? "exited with status " + code
                : "terminated with signal " + STRSIGNAL.getOrDefault(code, "Unknown signal " + code);
    }

    /** The raw {@code wait(2)} status ({@code W_EXITCODE}), as the agent reports an exited executor's status. */
    int raw() {
        return exited ? (code & 0xff) << 8 : code & 0x7f;
    }
}
