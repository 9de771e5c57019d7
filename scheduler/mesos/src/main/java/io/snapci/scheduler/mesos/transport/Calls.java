package io.snapci.scheduler.mesos.transport;

import com.google.protobuf.ByteString;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Builders for the scheduler calls snapci makes (apache/mesos {@code docs/scheduler-http-api.md}, "Calls"), each with
 * {@code framework_id} set from the client's current framework id, which the master requires on every non-SUBSCRIBE
 * call. Obtain one with {@link MesosSchedulerClient#calls()}. Building fails with {@link IllegalStateException} before
 * the first SUBSCRIBED, when there is no framework id yet.
 */
public final class Calls {

    /** A task to reconcile; {@code agentId} may be null when unknown. */
    public record TaskOnAgent(TaskID taskId, AgentID agentId) {
        public TaskOnAgent {
            Objects.requireNonNull(taskId, "taskId");
        }
    }

    private final Supplier<Optional<FrameworkID>> frameworkId;

    public Calls(Supplier<Optional<FrameworkID>> frameworkId) {
        this.frameworkId = Objects.requireNonNull(frameworkId, "frameworkId");
    }

    /** Declines offers; the master will not offer those resources again for {@code refuseSeconds}. */
    public Call decline(Collection<OfferID> offerIds, double refuseSeconds) {
        return call(Call.Type.DECLINE)
                .setDecline(Call.Decline.newBuilder().addAllOfferIds(offerIds).setFilters(filters(refuseSeconds)))
                .build();
    }

    /** Accepts offers with operations (e.g. LAUNCH_GROUP); unused resources are declined for {@code refuseSeconds}. */
    public Call accept(Collection<OfferID> offerIds, Collection<Offer.Operation> operations, double refuseSeconds) {
        return call(Call.Type.ACCEPT)
                .setAccept(Call.Accept.newBuilder()
                        .addAllOfferIds(offerIds)
                        .addAllOperations(operations)
                        .setFilters(filters(refuseSeconds)))
                .build();
    }

    /** Acknowledges a status update that carried a {@code uuid} (updates without one must not be acknowledged). */
    public Call acknowledge(AgentID agentId, TaskID taskId, ByteString uuid) {
        return call(Call.Type.ACKNOWLEDGE)
                .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(agentId).setTaskId(taskId).setUuid(uuid))
                .build();
    }

    /** Explicit reconciliation of these tasks; an empty collection asks for implicit reconciliation of all tasks. */
    public Call reconcile(Collection<TaskOnAgent> tasks) {
        Call.Reconcile.Builder reconcile = Call.Reconcile.newBuilder();
        for (TaskOnAgent task : tasks) {
            Call.Reconcile.Task.Builder t = Call.Reconcile.Task.newBuilder().setTaskId(task.taskId());
            if (task.agentId() != null) {
                t.setAgentId(task.agentId());
            }
            reconcile.addTasks(t);
        }
        return call(Call.Type.RECONCILE).setReconcile(reconcile).build();
    }

    /** Unsuppresses all subscribed roles and clears their filters. */
    public Call reviveAll() {
        return call(Call.Type.REVIVE).build();
    }

    /** Unsuppresses these roles and clears their filters (all roles when empty). */
    public Call revive(Collection<String> roles) {
        return call(Call.Type.REVIVE).setRevive(Call.Revive.newBuilder().addAllRoles(roles)).build();
    }

    /** Stops offers for these roles (all roles when empty) until a REVIVE. */
    public Call suppress(Collection<String> roles) {
        return call(Call.Type.SUPPRESS).setSuppress(Call.Suppress.newBuilder().addAllRoles(roles)).build();
    }

    /** Kills a task; {@code agentId} may be null when unknown. */
    public Call kill(TaskID taskId, AgentID agentId) {
        Call.Kill.Builder kill = Call.Kill.newBuilder().setTaskId(taskId);
        if (agentId != null) {
            kill.setAgentId(agentId);
        }
        return call(Call.Type.KILL).setKill(kill).build();
    }

    /** Ends the framework: the master kills all its tasks and forgets it. */
    public Call teardown() {
        return call(Call.Type.TEARDOWN).build();
    }

    private Call.Builder call(Call.Type type) {
        FrameworkID id = frameworkId.get()
                .orElseThrow(() -> new IllegalStateException("no framework id yet: wait for SUBSCRIBED before "
                        + type));
        return Call.newBuilder().setType(type).setFrameworkId(id);
    }

    private static Filters filters(double refuseSeconds) {
        if (!(refuseSeconds >= 0)) {
            throw new IllegalArgumentException("refuseSeconds must be >= 0: " + refuseSeconds);
        }
        return Filters.newBuilder().setRefuseSeconds(refuseSeconds).build();
    }
}
