package io.snapci.tests.mesos;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Volume;

/**
 * The master's checks of an ACCEPT, with its messages, from mesos 1.11.0 {@code src/master/validation.cpp}:
 * {@code offer::validate} (unique ids, still outstanding, this framework's, one role, one agent), then per LAUNCH_GROUP
 * {@code task::group::validate} (each task: id characters, unique id, agent id, resources; the DEFAULT executor's
 * type, framework id, minimum cpus/mem/disk; every task's executor equal to the group's; resources within the offer)
 * and per LAUNCH {@code task::validate}, each task's ContainerInfo volumes included. Checks that need features
 * snapci does not use (health checks, share_cgroups, limits, persistence ids, authorization) are left out. Pure
 * functions; no state.
 */
final class LaunchValidation {

    /** {@code MIN_CPUS} and {@code MIN_MEM} of mesos 1.11.0 {@code src/master/constants.hpp}. */
    static final double MIN_CPUS = 0.01;
    static final double MIN_MEM_MB = 32;

    private LaunchValidation() {
    }

    static Optional<String> offers(List<OfferID> ids, Allocator allocator, FrameworkRecord framework) {
        Set<String> seen = new HashSet<>();
        for (OfferID id : ids) {
            if (!seen.add(id.getValue())) {
                return Optional.of("Duplicate offer " + id.getValue() + " in offer list");
            }
        }
        for (OfferID id : ids) {
            if (allocator.offer(id).isEmpty()) {
                return Optional.of("Offer " + id.getValue() + " is no longer valid");
            }
        }
        String role = null;
        String agent = null;
        for (OfferID id : ids) {
            Allocator.OfferRecord offer = allocator.offer(id).orElseThrow();
            if (!offer.frameworkId().equals(framework.value())) {
                return Optional.of("Offer " + id.getValue() + " has invalid framework " + offer.frameworkId()
                        + " while framework " + framework.value() + " is expected");
            }
        }
        for (OfferID id : ids) {
            Allocator.OfferRecord offer = allocator.offer(id).orElseThrow();
            if (role != null && !role.equals(offer.role())) {
                return Optional.of("Aggregated offers must be allocated to the same role. Offer " + id.getValue()
                        + " uses role '" + offer.role() + " but another is using role '" + role);
            }
            role = offer.role();
        }
        for (OfferID id : ids) {
            Allocator.OfferRecord offer = allocator.offer(id).orElseThrow();
            if (agent != null && !agent.equals(offer.agentId())) {
                return Optional.of("Aggregated offers must belong to one single agent. Offer " + id.getValue()
                        + " uses agent " + offer.agentId() + " and agent " + agent);
            }
            agent = offer.agentId();
        }
        return Optional.empty();
    }

    /**
     * A LAUNCH_GROUP whose tasks already carry the group's executor (the master copies it into tasks that have none).
     *
     * @param offered        what is left of the offers, allocated to the offer's role
     * @param taskIdInUse    whether the framework already has a task with that id
     * @param executorExists the executor already runs on the agent (its resources are then not counted again)
     */
    static Optional<String> taskGroup(TaskGroupInfo group, ExecutorInfo executor, FrameworkRecord framework,
            String agentId, ResourceBag offered, Predicate<String> taskIdInUse, boolean executorExists) {
        for (TaskInfo task : group.getTasksList()) {
            Optional<String> error = task(task, agentId, taskIdInUse)
                    .or(() -> task.hasExecutor() ? Optional.empty() : Optional.of("'TaskInfo.executor' must be set"))
                    .or(() -> task.hasContainer() && task.getContainer().getType() == ContainerInfo.Type.DOCKER
                            ? Optional.of("Docker ContainerInfo is not supported on the task") : Optional.empty());
            if (error.isPresent()) {
                return Optional.of("Task '" + task.getTaskId().getValue() + "' is invalid: " + error.get());
            }
        }
        Optional<String> error = executor(executor, framework);
        if (error.isPresent()) {
            return error;
        }
        if (!executor.hasType()) {
            return Optional.of("'ExecutorInfo.type' must be set");
        }
        if (executor.getType() == ExecutorInfo.Type.UNKNOWN) {
            return Optional.of("Unknown executor type");
        }
        if (executor.hasContainer() && executor.getContainer().getType() == ContainerInfo.Type.DOCKER) {
            return Optional.of("Docker ContainerInfo is not supported on the executor");
        }
        for (TaskInfo task : group.getTasksList()) {
            if (task.hasExecutor() && !task.getExecutor().equals(executor)) {
                return Optional.of("The `ExecutorInfo` of task '" + task.getTaskId().getValue()
                        + "' is different from executor '" + executor.getExecutorId().getValue() + "'");
            }
        }
        ResourceBag executorResources = ResourceBag.of(executor.getResourcesList());
        String executorId = executor.getExecutorId().getValue();
        if (!executorResources.has("cpus") || executorResources.scalar("cpus") < MIN_CPUS) {
            return Optional.of("Executor '" + executorId + "' uses less CPUs ("
                    + (executorResources.has("cpus") ? ResourceBag.formatScalar(executorResources.scalar("cpus"))
                            : "None") + ") than the minimum required (" + ResourceBag.formatScalar(MIN_CPUS) + ")");
        }
        if (!executorResources.has("mem") || executorResources.scalar("mem") < MIN_MEM_MB) {
            return Optional.of("Executor '" + executorId + "' uses less memory ("
                    + (executorResources.has("mem") ? megabytes(executorResources.scalar("mem")) : "None")
                    + ") than the minimum required (" + megabytes(MIN_MEM_MB) + ")");
        }
        if (!executorResources.has("disk")) {
            return Optional.of("Executor '" + executorId + "' uses no disk");
        }
        ResourceBag total = ResourceBag.empty();
        for (TaskInfo task : group.getTasksList()) {
            total = total.plus(ResourceBag.of(task.getResourcesList()));
        }
        if (!executorExists) {
            total = total.plus(executorResources);
        }
        if (!offered.contains(total)) {
            return Optional.of("Total resources " + total + " required by task group and its executor are more than"
                    + " available " + offered);
        }
        return Optional.empty();
    }

    /** A LAUNCH of a single task (command task or custom executor). */
    static Optional<String> singleTask(TaskInfo task, FrameworkRecord framework, String agentId,
            ResourceBag offered, Predicate<String> taskIdInUse, boolean executorExists) {
        Optional<String> error = task(task, agentId, taskIdInUse);
        if (error.isPresent()) {
            return error;
        }
        if (task.hasExecutor() == task.hasCommand()) {
            return Optional.of("Task should have at least one (but not both) of CommandInfo or ExecutorInfo present");
        }
        ResourceBag total = ResourceBag.of(task.getResourcesList());
        if (task.hasExecutor()) {
            error = executor(task.getExecutor(), framework);
            if (error.isPresent()) {
                return error;
            }
            if (task.getExecutor().hasType() && task.getExecutor().getType() != ExecutorInfo.Type.CUSTOM) {
                return Optional.of("'ExecutorInfo.type' must be 'CUSTOM'");
            }
            if (!executorExists) {
                total = total.plus(ResourceBag.of(task.getExecutor().getResourcesList()));
            }
        }
        if (!offered.contains(total)) {
            return Optional.of("Total resources " + total + " required by task and its executor is more than"
                    + " available " + offered);
        }
        return Optional.empty();
    }

    /** {@code task::internal::validateTask}: id, uniqueness, agent, resources. */
    private static Optional<String> task(TaskInfo task, String agentId, Predicate<String> taskIdInUse) {
        String id = task.getTaskId().getValue();
        if (id.chars().anyMatch(c -> Character.isISOControl(c) || c == '/' || c == '\\')) {
            return Optional.of("TaskID '" + id + "' contains invalid characters");
        }
        if (taskIdInUse.test(id)) {
            return Optional.of("Task has duplicate ID: " + id);
        }
        if (!task.getAgentId().getValue().equals(agentId)) {
            return Optional.of("Task uses invalid agent " + task.getAgentId().getValue() + " while agent " + agentId
                    + " is expected");
        }
        if (task.getResourcesCount() == 0) {
            return Optional.of("Task uses no resources");
        }
        if (task.hasContainer()) {
            for (Volume volume : task.getContainer().getVolumesList()) {
                Optional<String> invalid = volume(volume);
                if (invalid.isPresent()) {
                    return Optional.of("Task's `ContainerInfo` is invalid: Invalid volume: " + invalid.get());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * {@code common::validation::validateVolume} (src/common/validation.cpp:213-276), wrapped by
     * {@code validateContainerInfo} (:293-298) and the master's (src/master/validation.cpp:1533-1544).
     */
    private static Optional<String> volume(Volume volume) {
        int set = (volume.hasHostPath() ? 1 : 0) + (volume.hasImage() ? 1 : 0) + (volume.hasSource() ? 1 : 0);
        if (set != 1) {
            return Optional.of("Only one of them should be set: 'host_path', 'image' and 'source'");
        }
        if (!volume.hasSource()) {
            return Optional.empty();
        }
        Volume.Source source = volume.getSource();
        return switch (source.getType()) {
            case DOCKER_VOLUME -> unlessSet(source.hasDockerVolume(),
                    "'source.docker_volume' is not set for DOCKER_VOLUME volume");
            case HOST_PATH -> unlessSet(source.hasHostPath(), "'source.host_path' is not set for HOST_PATH volume");
            case SANDBOX_PATH -> unlessSet(source.hasSandboxPath(),
                    "'source.sandbox_path' is not set for SANDBOX_PATH volume");
            case SECRET -> unlessSet(source.hasSecret(), "'source.secret' is not set for SECRET volume");
            case CSI_VOLUME -> unlessSet(source.hasCsiVolume(), "'source.csi_volume' is not set for CSI volume")
                    .or(() -> unlessSet(source.getCsiVolume().hasStaticProvisioning(),
                            "'source.csi_volume.static_provisioning' is not set for CSI volume"));
            default -> Optional.of("'source.type' is unknown");
        };
    }

    /** A field a volume source of its type requires (in validateVolume, above): {@code error} when it is unset. */
    private static Optional<String> unlessSet(boolean set, String error) {
        return set ? Optional.empty() : Optional.of(error);
    }

    /** {@code executor::internal::validate}: type vs command, framework id. */
    private static Optional<String> executor(ExecutorInfo executor, FrameworkRecord framework) {
        if (executor.getType() == ExecutorInfo.Type.DEFAULT && executor.hasCommand()) {
            return Optional.of("'ExecutorInfo.command' must not be set for 'DEFAULT' executor");
        }
        if (executor.getType() == ExecutorInfo.Type.CUSTOM && !executor.hasCommand()) {
            return Optional.of("'ExecutorInfo.command' must be set for 'CUSTOM' executor");
        }
        if (!executor.hasFrameworkId()) {
            return Optional.of("'ExecutorInfo.framework_id' must be set");
        }
        if (!executor.getFrameworkId().equals(framework.id)) {
            return Optional.of("ExecutorInfo has an invalid FrameworkID (Actual: "
                    + executor.getFrameworkId().getValue() + " vs Expected: " + framework.value() + ")");
        }
        return Optional.empty();
    }

    /** stout's {@code Bytes} printing for whole megabytes: "32MB". */
    private static String megabytes(double mb) {
        return ResourceBag.formatScalar(mb) + "MB";
    }
}
