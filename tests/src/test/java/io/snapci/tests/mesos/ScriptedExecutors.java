package io.snapci.tests.mesos;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Predicate;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;

/**
 * The agents' executors, played from scripts: which {@link Lifecycle} a launched task follows (rules matched against
 * its TaskInfo, newest rule first; {@link Lifecycle#runsUntilKilled()} when none matches), and how a kill plays out
 * like the default executor of mesos 1.11.0 ({@code src/launcher/default_executor.cpp}): TASK_KILLING first if the
 * framework has the TASK_KILLING_STATE capability, then TASK_KILLED "Command terminated with signal Terminated"
 * after the grace period. The default executor's task-group rule — a task ending TASK_FAILED or TASK_KILLED gets the
 * other tasks of its group killed, a task ending TASK_FINISHED does not — is applied by {@link PeerMaster} when the
 * update is produced, so it holds for manual updates too. Master thread only.
 */
final class ScriptedExecutors {

    /** Where the executor's updates go: the master's {@code executorUpdate}. */
    interface Reporter {
        void report(TaskRecord task, Lifecycle.Step step);
    }

    private record Rule(Predicate<TaskInfo> matches, Lifecycle lifecycle) {
    }

    private final Deque<Rule> rules = new ArrayDeque<>();
    private final ScheduledExecutorService clock;
    private final Duration killGrace;
    private final Reporter reporter;

    ScriptedExecutors(ScheduledExecutorService clock, Duration killGrace, Reporter reporter) {
        this.clock = clock;
        this.killGrace = killGrace;
        this.reporter = reporter;
    }

    void onLaunch(Predicate<TaskInfo> matches, Lifecycle lifecycle) {
        rules.addFirst(new Rule(matches, lifecycle));
    }

    Lifecycle lifecycleFor(TaskInfo task) {
        return rules.stream().filter(r -> r.matches().test(task)).map(Rule::lifecycle).findFirst()
                .orElse(Lifecycle.runsUntilKilled());
    }

    /** Schedules the task's scripted updates; each waits its step's delay after the previous one. */
    void start(TaskRecord task) {
        long at = 0;
        for (Lifecycle.Step step : lifecycleFor(task.info).steps()) {
            at += step.delay().toNanos();
            task.script.add(clock.schedule(() -> {
                if (!task.terminal() && !task.killing) {
                    reporter.report(task, step);
                }
            }, at, TimeUnit.NANOSECONDS));
        }
    }

    /** KILL: stop the script, TASK_KILLING if the framework understands it, TASK_KILLED after the grace period. */
    void kill(TaskRecord task, boolean frameworkHasKillingState) {
        if (task.terminal() || task.killing) {
            return;
        }
        task.killing = true;
        task.cancelScript();
        if (frameworkHasKillingState) {
            reporter.report(task, new Lifecycle.Step(TaskState.TASK_KILLING, Duration.ZERO, null, null, null));
        }
        clock.schedule(() -> {
            if (!task.terminal()) {
                reporter.report(task, new Lifecycle.Step(TaskState.TASK_KILLED, Duration.ZERO,
                        "Command terminated with signal Terminated", null, null));
            }
        }, killGrace.toNanos(), TimeUnit.NANOSECONDS);
    }
}
