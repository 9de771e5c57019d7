package io.snapci.tests.mesos;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Address;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.InverseOffer;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import io.snapci.tests.mesos.agent.AgentListener;
import io.snapci.tests.mesos.agent.ExecutingAgent;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * The master's state and its reactions, one event at a time on a single thread (like the libprocess actor it stands
 * for): frameworks and their streams, calls, status updates, reconciliation, agent removal, failover. Everything here
 * runs on {@link #clock}; {@link MesosMasterPeer} hops onto it for every read and write.
 *
 * <p>Sources (mesos 1.11.0): {@code src/master/master.cpp} ({@code subscribe}, {@code failoverFramework} —
 * the old stream gets ERROR "Framework failed over" —, {@code accept}, {@code _accept}, {@code decline},
 * {@code revive}, {@code suppress}, {@code kill}, {@code acknowledge}, {@code _reconcileTasks}, {@code exited},
 * {@code removeFramework}, {@code removeSlave}), {@code src/master/http.cpp} ({@code Master::Http::scheduler}),
 * {@code docs/scheduler-http-api.md}, {@code docs/reconciliation.md}, {@code docs/high-availability-framework-guide.md}.
 */
final class PeerMaster {

    /** The answer to a non-SUBSCRIBE call. */
    record Reply(int status, String body) {
        static final Reply ACCEPTED = new Reply(202, "");
    }

    private record ExecutorUse(ResourceBag resources, List<String> taskIds) {
    }

    final ScheduledExecutorService clock;
    private final PeerOptions options;
    private final String host;
    private final int port;
    private String masterId = newMasterId();
    private final Map<String, FrameworkRecord> frameworks = new LinkedHashMap<>();
    private final Set<String> removedFrameworks = new HashSet<>();
    private final Set<String> unreachableAgents = new HashSet<>();
    private int frameworkCounter;
    private final Allocator allocator = new Allocator(masterId);
    private final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
    private final Map<String, ExecutorUse> executors = new LinkedHashMap<>();
    private final StatusUpdateManager updates;
    private final ScriptedExecutors executorsSim;
    /** Every SUBSCRIBED sent, for {@code awaitSubscribed}; read from any thread. */
    final List<Event.Subscribed> subscribedEvents = new CopyOnWriteArrayList<>();

    PeerMaster(ScheduledExecutorService clock, PeerOptions options, String host, int port) {
        this.clock = clock;
        this.options = options;
        this.host = host;
        this.port = port;
        this.updates = new StatusUpdateManager(clock, options.updateRetryInterval(), options.updateRetryMax(),
                this::forward);
        this.executorsSim = new ScriptedExecutors(clock, options.killGracePeriod(), this::executorUpdate);
    }

    // ---- subscription ---------------------------------------------------------------------------------------

    /** SUBSCRIBE, already validated by the HTTP front: returns the stream with SUBSCRIBED (or ERROR) queued. */
    EventStream subscribe(Call.Subscribe subscribe) {
        EventStream stream = new EventStream(options.heartbeatInterval());
        FrameworkInfo info = subscribe.getFrameworkInfo();
        FrameworkRecord framework;
        if (info.hasId()) {
            String id = info.getId().getValue();
            if (removedFrameworks.contains(id)) {
                // master.cpp subscribe(): a framework removed after its failover timeout (or TEARDOWN) cannot return.
                stream.send(error("Framework has been removed"));
                stream.close();
                return stream;
            }
            framework = frameworks.get(id);
            if (framework == null) {
                // Unknown id: a framework re-subscribing after a master failover; the master takes the id as given.
                framework = new FrameworkRecord(info.getId(), info);
                frameworks.put(id, framework);
            } else {
                if (framework.connected()) {
                    // failoverFramework(): the old connection hears that it has been superseded, then is closed.
                    framework.stream.send(error("Framework failed over"));
                    framework.stream.close();
                }
                framework.info = info;
            }
        } else {
            FrameworkID id = FrameworkID.newBuilder()
                    .setValue(masterId + "-" + String.format("%04d", frameworkCounter++)).build();
            framework = new FrameworkRecord(id, info.toBuilder().setId(id).build());
            frameworks.put(id.getValue(), framework);
        }
        if (framework.failoverTimer != null) {
            framework.failoverTimer.cancel(false);
            framework.failoverTimer = null;
        }
        framework.stream = stream;
        framework.suppressedRoles.clear();
        framework.suppressedRoles.addAll(subscribe.getSuppressedRolesList());
        Event.Subscribed subscribed = Event.Subscribed.newBuilder()
                .setFrameworkId(framework.id)
                .setHeartbeatIntervalSeconds(options.heartbeatInterval().toNanos() / 1e9)
                .setMasterInfo(masterInfo())
                .build();
        stream.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(subscribed).build());
        stream.send(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
        subscribedEvents.add(subscribed);
        return stream;
    }

    /** The client went away (or the stream was dropped): the framework is disconnected, not removed. */
    void streamGone(EventStream stream) {
        stream.close();
        for (FrameworkRecord framework : frameworks.values()) {
            if (framework.stream == stream) {
                disconnected(framework);
            }
        }
    }

    /**
     * master.cpp {@code exited()}/{@code deactivate()}: offers are taken back, tasks keep running, and the framework
     * is removed if it has not resubscribed within {@code failover_timeout} (FrameworkInfo default 0: at once).
     */
    private void disconnected(FrameworkRecord framework) {
        framework.stream = null;
        allocator.removeOffersOf(framework.value());
        long nanos = (long) (framework.info.getFailoverTimeout() * 1e9);
        framework.failoverTimer = clock.schedule(() -> {
            if (!framework.connected() && frameworks.get(framework.value()) == framework) {
                removeFramework(framework);
            }
        }, nanos, TimeUnit.NANOSECONDS);
    }

    /** TEARDOWN or failover timeout: its tasks are killed, its offers and updates dropped, its id retired. */
    void removeFramework(FrameworkRecord framework) {
        if (framework.failoverTimer != null) {
            framework.failoverTimer.cancel(false);
        }
        if (framework.stream != null) {
            framework.stream.close();
            framework.stream = null;
        }
        allocator.removeOffersOf(framework.value());
        // master.cpp removeFramework → ShutdownFrameworkMessage: the agents shut the framework's executors down
        executingAgents.values().forEach(agent -> agent.shutdownFramework(framework.value()));
        for (TaskRecord task : List.copyOf(tasks.values())) {
            if (task.frameworkId.equals(framework.value())) {
                task.cancelScript();
                if (!task.terminal()) {
                    task.state = TaskState.TASK_KILLED;
                    released(task);
                }
                tasks.remove(key(task.frameworkId, task.id()));
            }
        }
        updates.dropFramework(framework.value());
        frameworks.remove(framework.value());
        removedFrameworks.add(framework.value());
    }

    // ---- calls -------------------------------------------------------------------------------------------------

    /** A validated non-SUBSCRIBE call with the request's Mesos-Stream-Id header (null when absent). */
    Reply call(Call call, String streamId) {
        FrameworkRecord framework = frameworks.get(call.getFrameworkId().getValue());
        if (framework == null) {
            return new Reply(400, "Framework cannot be found");
        }
        if (!framework.connected()) {
            return new Reply(403, "Framework is not subscribed");
        }
        if (streamId == null) {
            return new Reply(400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
        }
        if (!streamId.equals(framework.stream.id)) {
            return new Reply(400, "The stream ID '" + streamId + "' included in this request didn't match the"
                    + " stream ID currently associated with framework ID " + framework.value());
        }
        switch (call.getType()) {
            case TEARDOWN -> removeFramework(framework);
            case ACCEPT -> accept(framework, call.getAccept());
            case DECLINE -> decline(framework, call.getDecline().getOfferIdsList(),
                    call.getDecline().getFilters().getRefuseSeconds());
            case ACCEPT_INVERSE_OFFERS -> call.getAcceptInverseOffers().getInverseOfferIdsList()
                    .forEach(allocator::removeInverseOffer);
            case DECLINE_INVERSE_OFFERS -> declineInverse(framework, call.getDeclineInverseOffers());
            case REVIVE -> revive(framework, call.getRevive().getRolesList());
            case SUPPRESS -> framework.suppressedRoles.addAll(call.getSuppress().getRolesCount() == 0
                    ? framework.roles() : call.getSuppress().getRolesList());
            case KILL -> kill(framework, call.getKill());
            case ACKNOWLEDGE -> acknowledge(framework, call.getAcknowledge());
            case RECONCILE -> reconcile(framework, call.getReconcile().getTasksList());
            case UNKNOWN -> {
                return new Reply(501, "");
            }
            default -> {
                // SHUTDOWN, MESSAGE, REQUEST, UPDATE_FRAMEWORK, operations: accepted, not modelled.
            }
        }
        return Reply.ACCEPTED;
    }

    /**
     * The race every scheduler must survive: the master rescinds an offer (an agent's resources were needed
     * elsewhere, or the offer timed out) while the framework's ACCEPT of it is on the wire. Armed, the next ACCEPT
     * finds its offers rescinded just before it is handled.
     */
    private boolean rescindBeforeNextAccept;

    void rescindBeforeNextAccept() {
        rescindBeforeNextAccept = true;
    }

    private void accept(FrameworkRecord framework, Call.Accept accept) {
        if (rescindBeforeNextAccept) {
            rescindBeforeNextAccept = false;
            accept.getOfferIdsList().forEach(this::rescind);
        }
        Optional<String> error = LaunchValidation.offers(accept.getOfferIdsList(), allocator, framework);
        ResourceBag offered = ResourceBag.empty();
        String agentId = null;
        String role = null;
        for (OfferID id : accept.getOfferIdsList()) {
            Optional<Allocator.OfferRecord> offer = allocator.offer(id);
            if (offer.isPresent() && offer.get().frameworkId().equals(framework.value())) {
                offered = offered.plus(offer.get().resources().allocatedTo(offer.get().role()));
                agentId = offer.get().agentId();
                role = offer.get().role();
                allocator.removeOffer(id); // its resources are free again unless used below
            }
        }
        if (error.isPresent()) {
            // master.cpp accept(): the call is accepted (202) and each task to launch is reported lost.
            TaskState state = framework.partitionAware() ? TaskState.TASK_DROPPED : TaskState.TASK_LOST;
            for (TaskInfo task : tasksOf(accept.getOperationsList())) {
                masterUpdate(framework, task.getTaskId(), task.getAgentId(), state,
                        TaskStatus.Reason.REASON_INVALID_OFFERS, "Task launched with invalid offers: " + error.get());
            }
            return;
        }
        ResourceBag remaining = offered;
        for (Offer.Operation operation : accept.getOperationsList()) {
            if (operation.getType() == Offer.Operation.Type.LAUNCH_GROUP) {
                remaining = launchGroup(framework, agentId, role, operation.getLaunchGroup(), remaining);
            } else if (operation.getType() == Offer.Operation.Type.LAUNCH) {
                for (TaskInfo task : operation.getLaunch().getTaskInfosList()) {
                    remaining = launchTask(framework, agentId, role, task, remaining);
                }
            }
            // RESERVE, CREATE, ... are not modelled: snapci does not use them.
        }
        allocator.recover(framework, agentId, remaining.allocatedTo(null), accept.getFilters().getRefuseSeconds(),
                Instant.now());
    }

    private ResourceBag launchGroup(FrameworkRecord framework, String agentId, String role,
            Offer.Operation.LaunchGroup launch, ResourceBag remaining) {
        ExecutorInfo executor = launch.getExecutor();
        // master.cpp accept(): tasks of a group get the group's executor copied in when they have none.
        TaskGroupInfo.Builder group = launch.getTaskGroup().toBuilder();
        for (TaskInfo.Builder task : group.getTasksBuilderList()) {
            if (!task.hasExecutor()) {
                task.setExecutor(executor);
            }
            injectAllocation(framework, role, task);
        }
        String executorKey = agentId + "/" + framework.value() + "/" + executor.getExecutorId().getValue();
        boolean executorExists = executors.containsKey(executorKey);
        Optional<String> error = LaunchValidation.taskGroup(group.build(), executor, framework, agentId, remaining,
                id -> tasks.containsKey(key(framework.value(), id)), executorExists);
        if (error.isPresent()) {
            for (TaskInfo task : group.getTasksList()) {
                masterUpdate(framework, task.getTaskId(), task.getAgentId(), TaskState.TASK_ERROR,
                        TaskStatus.Reason.REASON_TASK_GROUP_INVALID, error.get());
            }
            return remaining;
        }
        ResourceBag executorResources = ResourceBag.of(executor.getResourcesList());
        ResourceBag consumed = executorExists ? ResourceBag.empty() : executorResources;
        List<String> ids = group.getTasksList().stream().map(t -> t.getTaskId().getValue()).toList();
        if (!executorExists) {
            executors.put(executorKey, new ExecutorUse(executorResources.allocatedTo(null), new ArrayList<>()));
        }
        executors.get(executorKey).taskIds().addAll(ids);
        allocator.use(agentId, consumed.allocatedTo(null));
        List<TaskRecord> launched = new ArrayList<>();
        for (TaskInfo task : group.getTasksList()) {
            ResourceBag taskResources = ResourceBag.of(task.getResourcesList());
            consumed = consumed.plus(taskResources);
            allocator.use(agentId, taskResources.allocatedTo(null));
            TaskRecord record = new TaskRecord(task, framework.value(), agentId, executor, ids,
                    taskResources.allocatedTo(null));
            tasks.put(key(framework.value(), record.id()), record);
            launched.add(record);
        }
        ExecutingAgent agent = executingAgents.get(agentId);
        if (agent != null) {
            // slave.cpp runTaskGroup: the agent gets the group as the master validated and completed it
            agent.launchGroup(framework.info, executor, group.build());
        } else {
            launched.forEach(executorsSim::start);
        }
        return remaining.minus(consumed);
    }

    private ResourceBag launchTask(FrameworkRecord framework, String agentId, String role, TaskInfo original,
            ResourceBag remaining) {
        TaskInfo.Builder builder = original.toBuilder();
        injectAllocation(framework, role, builder);
        TaskInfo task = builder.build();
        String executorId = task.hasExecutor() ? task.getExecutor().getExecutorId().getValue()
                : task.getTaskId().getValue(); // the command executor is named after its task
        String executorKey = agentId + "/" + framework.value() + "/" + executorId;
        boolean executorExists = executors.containsKey(executorKey);
        Optional<String> error = LaunchValidation.singleTask(task, framework, agentId, remaining,
                id -> tasks.containsKey(key(framework.value(), id)), executorExists);
        if (error.isPresent()) {
            masterUpdate(framework, task.getTaskId(), task.getAgentId(), TaskState.TASK_ERROR,
                    TaskStatus.Reason.REASON_TASK_INVALID, error.get());
            return remaining;
        }
        ResourceBag consumed = ResourceBag.of(task.getResourcesList());
        ResourceBag executorResources = task.hasExecutor() && !executorExists
                ? ResourceBag.of(task.getExecutor().getResourcesList()) : ResourceBag.empty();
        executors.computeIfAbsent(executorKey, k -> new ExecutorUse(executorResources.allocatedTo(null),
                new ArrayList<>())).taskIds().add(task.getTaskId().getValue());
        allocator.use(agentId, consumed.plus(executorResources).allocatedTo(null));
        ExecutorInfo executor = task.hasExecutor() ? task.getExecutor() : ExecutorInfo.newBuilder()
                .setExecutorId(ExecutorID.newBuilder().setValue(executorId)).build();
        TaskRecord record = new TaskRecord(task, framework.value(), agentId, executor,
                List.of(task.getTaskId().getValue()), consumed.allocatedTo(null));
        tasks.put(key(framework.value(), record.id()), record);
        if (executingAgents.containsKey(agentId)) {
            // a limit of the peer, said loudly: its agents run the default executor's task groups only
            agentUpdate(framework.value(), TaskStatus.newBuilder().setTaskId(task.getTaskId())
                    .setState(TaskState.TASK_FAILED).setSource(TaskStatus.Source.SOURCE_AGENT)
                    .setAgentId(AgentID.newBuilder().setValue(agentId)).setUuid(uuid())
                    .setTimestamp(System.currentTimeMillis() / 1000.0)
                    .setMessage("the executing agent peer runs task groups (LAUNCH_GROUP) only, not LAUNCH").build());
        } else {
            executorsSim.start(record);
        }
        return remaining.minus(consumed.plus(executorResources));
    }

    /** Frameworks without MULTI_ROLE get {@code allocation_info} filled in by the master; MULTI_ROLE ones must set it. */
    private static void injectAllocation(FrameworkRecord framework, String role, TaskInfo.Builder task) {
        if (framework.hasCapability(FrameworkInfo.Capability.Type.MULTI_ROLE)) {
            return;
        }
        task.getResourcesBuilderList().stream().filter(r -> !r.hasAllocationInfo())
                .forEach(r -> r.getAllocationInfoBuilder().setRole(role));
    }

    private void decline(FrameworkRecord framework, List<OfferID> ids, double refuseSeconds) {
        for (OfferID id : ids) {
            Optional<Allocator.OfferRecord> offer = allocator.offer(id);
            // master.cpp decline(): unknown or foreign offers are ignored.
            if (offer.isPresent() && offer.get().frameworkId().equals(framework.value())) {
                allocator.removeOffer(id);
                allocator.recover(framework, offer.get().agentId(), offer.get().resources(), refuseSeconds,
                        Instant.now());
            }
        }
    }

    private void declineInverse(FrameworkRecord framework, Call.DeclineInverseOffers decline) {
        for (OfferID id : decline.getInverseOfferIdsList()) {
            allocator.inverseOffer(id).ifPresent(io -> framework.inverseOfferFilters.put(io.agentId(),
                    Instant.now().plusMillis((long) (decline.getFilters().getRefuseSeconds() * 1000))));
            allocator.removeInverseOffer(id);
        }
    }

    /** REVIVE: the roles (all when none given) are unsuppressed and their filters cleared. */
    private void revive(FrameworkRecord framework, List<String> roles) {
        framework.suppressedRoles.removeAll(roles.isEmpty() ? framework.roles() : roles);
        framework.offerFilters.clear();
        if (options.allocationInterval().isPresent()) {
            allocate();
        }
    }

    private void kill(FrameworkRecord framework, Call.Kill kill) {
        TaskRecord task = tasks.get(key(framework.value(), kill.getTaskId().getValue()));
        if (task == null) {
            // master.cpp kill(): an unknown task is answered by reconciling it.
            Call.Reconcile.Task.Builder t = Call.Reconcile.Task.newBuilder().setTaskId(kill.getTaskId());
            if (kill.hasAgentId()) {
                t.setAgentId(kill.getAgentId());
            }
            reconcile(framework, List.of(t.build()));
            return;
        }
        ExecutingAgent agent = executingAgents.get(task.agentId);
        if (agent != null) {
            agent.kill(framework.value(), task.id(), kill.hasKillPolicy() ? kill.getKillPolicy() : null);
            return;
        }
        executorsSim.kill(task, framework.hasCapability(FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
    }

    private void acknowledge(FrameworkRecord framework, Call.Acknowledge ack) {
        String taskId = ack.getTaskId().getValue();
        updates.acknowledge(framework.value(), taskId, ack.getUuid()).ifPresent(acked -> {
            TaskRecord task = tasks.get(key(framework.value(), taskId));
            if (task != null && TaskStates.isTerminal(acked.getState())) {
                task.completed = true; // the master forgets a task once its terminal update is acknowledged
                tasks.remove(key(framework.value(), taskId));
                completedTasks.put(key(framework.value(), taskId), task);
            }
        });
    }

    private final Map<String, TaskRecord> completedTasks = new LinkedHashMap<>();

    /**
     * master.cpp {@code _reconcileTasks}, docs/reconciliation.md: implicit (no tasks) reports every task the master
     * knows for the framework; explicit reports each task asked about, by what the master knows of it and its agent.
     * Answers come from the master: no uuid (nothing to acknowledge), reason REASON_RECONCILIATION.
     */
    private void reconcile(FrameworkRecord framework, List<Call.Reconcile.Task> asked) {
        if (asked.isEmpty()) {
            tasks.values().stream().filter(t -> t.frameworkId.equals(framework.value()))
                    .forEach(t -> sendReconciled(framework, t));
            return;
        }
        boolean aware = framework.partitionAware();
        for (Call.Reconcile.Task t : asked) {
            TaskRecord task = tasks.get(key(framework.value(), t.getTaskId().getValue()));
            if (task != null) {
                sendReconciled(framework, task);
            } else if (t.hasAgentId() && allocator.agent(t.getAgentId().getValue()).isPresent()) {
                masterUpdate(framework, t.getTaskId(), t.getAgentId(), aware ? TaskState.TASK_GONE
                        : TaskState.TASK_LOST, TaskStatus.Reason.REASON_RECONCILIATION,
                        "Reconciliation: Task is unknown to the agent");
            } else if (t.hasAgentId() && unreachableAgents.contains(t.getAgentId().getValue())) {
                masterUpdate(framework, t.getTaskId(), t.getAgentId(), aware ? TaskState.TASK_UNREACHABLE
                        : TaskState.TASK_LOST, TaskStatus.Reason.REASON_RECONCILIATION,
                        "Reconciliation: Task is unreachable");
            } else {
                masterUpdate(framework, t.getTaskId(), t.hasAgentId() ? t.getAgentId() : null,
                        aware ? TaskState.TASK_UNKNOWN : TaskState.TASK_LOST,
                        TaskStatus.Reason.REASON_RECONCILIATION, "Reconciliation: Task is unknown");
            }
        }
    }

    private void sendReconciled(FrameworkRecord framework, TaskRecord task) {
        TaskStatus.Builder status = TaskStatus.newBuilder()
                .setTaskId(task.info.getTaskId())
                .setState(task.state)
                .setSource(TaskStatus.Source.SOURCE_MASTER)
                .setReason(TaskStatus.Reason.REASON_RECONCILIATION)
                .setMessage("Reconciliation: Latest task state")
                .setAgentId(AgentID.newBuilder().setValue(task.agentId))
                .setExecutorId(task.executor.getExecutorId())
                .setTimestamp(System.currentTimeMillis() / 1000.0);
        if (task.latest != null && task.latest.hasCheckStatus()) {
            status.setCheckStatus(task.latest.getCheckStatus());
        }
        send(framework, status.build());
    }

    // ---- status updates ----------------------------------------------------------------------------------------

    /**
     * An update from the task's executor: the master learns the latest state at once (the agent sends
     * {@code latest_state}); delivery to the scheduler goes through the status update manager (uuid, resends).
     */
    void executorUpdate(TaskRecord task, Lifecycle.Step step) {
        if (task.terminal() || !tasks.containsKey(key(task.frameworkId, task.id()))) {
            return;
        }
        AgentFilesServer files = agentFiles.get(task.agentId);
        if (files != null) {
            String sandbox = AgentFilesServer.taskSandbox(task.frameworkId,
                    task.executor.getExecutorId().getValue(), task.id());
            step.files().forEach((name, content) -> files.put(sandbox + "/" + name, content));
        }
        TaskStatus.Builder status = TaskStatus.newBuilder()
                .setTaskId(task.info.getTaskId())
                .setState(step.state())
                .setSource(TaskStatus.Source.SOURCE_EXECUTOR)
                .setAgentId(AgentID.newBuilder().setValue(task.agentId))
                .setExecutorId(task.executor.getExecutorId())
                .setTimestamp(System.currentTimeMillis() / 1000.0)
                .setUuid(uuid());
        if (step.message() != null) {
            status.setMessage(step.message());
        }
        if (step.reason() != null) {
            status.setReason(step.reason());
        }
        if (step.checkStatus() != null) {
            status.setCheckStatus(step.checkStatus());
        }
        task.state = step.state();
        task.latest = status.build();
        updates.update(task.frameworkId, task.latest);
        if (task.terminal()) {
            task.cancelScript();
            released(task);
            if (step.state() == TaskState.TASK_FAILED || step.state() == TaskState.TASK_KILLED) {
                killRestOfGroup(task);
            }
        }
    }

    /**
     * An update from an executing agent: the executor already applied its own rules (the group's kill policy), the
     * master records the latest state and the status update manager delivers it.
     */
    void agentUpdate(String frameworkId, TaskStatus status) {
        TaskRecord task = tasks.get(key(frameworkId, status.getTaskId().getValue()));
        if (task == null || task.terminal()) {
            return;
        }
        task.state = status.getState();
        task.latest = status;
        updates.update(frameworkId, status);
        if (task.terminal()) {
            released(task);
        }
    }

    /** ExitedExecutorMessage (master.cpp exitedExecutor): FAILURE with the executor's id and status. */
    void executorExited(String agentId, String frameworkId, String executorId, int status) {
        if (allocator.agent(agentId).isEmpty()) {
            return; // "Ignoring exited executor ... on removed agent"
        }
        FrameworkRecord framework = frameworks.get(frameworkId);
        if (framework != null && framework.connected()) {
            framework.stream.send(Event.newBuilder().setType(Event.Type.FAILURE).setFailure(Event.Failure
                    .newBuilder().setAgentId(AgentID.newBuilder().setValue(agentId))
                    .setExecutorId(ExecutorID.newBuilder().setValue(executorId)).setStatus(status)).build());
        }
    }

    /** Default executor: a task of a group ending FAILED or KILLED gets the others killed; FINISHED does not. */
    private void killRestOfGroup(TaskRecord ended) {
        FrameworkRecord framework = frameworks.get(ended.frameworkId);
        boolean killingState = framework != null
                && framework.hasCapability(FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
        for (String sibling : ended.group) {
            TaskRecord other = tasks.get(key(ended.frameworkId, sibling));
            if (other != null && other != ended && !other.terminal()) {
                executorsSim.kill(other, killingState);
            }
        }
    }

    /** A task reached a terminal state: its resources, and its executor's once the executor has no live task. */
    private void released(TaskRecord task) {
        allocator.release(task.agentId, task.resources);
        String executorKey = task.agentId + "/" + task.frameworkId + "/" + task.executor.getExecutorId().getValue();
        ExecutorUse use = executors.get(executorKey);
        if (use != null && use.taskIds().stream().map(id -> tasks.get(key(task.frameworkId, id)))
                .allMatch(t -> t == null || t.terminal())) {
            allocator.release(task.agentId, use.resources());
            executors.remove(executorKey);
        }
    }

    /** The status update manager's delivery: to the scheduler if it is connected; lost (and resent later) if not. */
    private void forward(String frameworkId, TaskStatus status) {
        FrameworkRecord framework = frameworks.get(frameworkId);
        if (framework != null) {
            send(framework, status);
        }
    }

    /** An update the master makes itself (invalid launch, reconciliation, agent removal): no uuid, no resend. */
    private void masterUpdate(FrameworkRecord framework, TaskID taskId, AgentID agentId, TaskState state,
            TaskStatus.Reason reason, String message) {
        TaskStatus.Builder status = TaskStatus.newBuilder().setTaskId(taskId).setState(state)
                .setSource(TaskStatus.Source.SOURCE_MASTER).setReason(reason).setMessage(message)
                .setTimestamp(System.currentTimeMillis() / 1000.0);
        if (agentId != null && !agentId.getValue().isEmpty()) {
            status.setAgentId(agentId);
        }
        send(framework, status.build());
    }

    private void send(FrameworkRecord framework, TaskStatus status) {
        if (framework.connected()) {
            framework.stream.send(Event.newBuilder().setType(Event.Type.UPDATE)
                    .setUpdate(Event.Update.newBuilder().setStatus(status)).build());
        }
    }

    // ---- the test's hand on the cluster ------------------------------------------------------------------------

    /** Each agent's {@code /files} endpoint, where task sandboxes can be read. */
    private final Map<String, AgentFilesServer> agentFiles = new java.util.HashMap<>();

    /** The agents that really run their tasks, by agent id. */
    private final Map<String, ExecutingAgent> executingAgents = new java.util.HashMap<>();
    /** Executing agents that were killed: closed with the peer. */
    private final List<ExecutingAgent> deadAgents = new ArrayList<>();

    /** Every executing agent, handed over for closing (off the master thread: closing waits for processes). */
    List<ExecutingAgent> takeExecutingAgents() {
        List<ExecutingAgent> all = new ArrayList<>(executingAgents.values());
        all.addAll(deadAgents);
        executingAgents.clear();
        deadAgents.clear();
        return all;
    }

    void closeAgents() {
        agentFiles.values().forEach(AgentFilesServer::close);
        agentFiles.clear();
    }

    void addAgent(AgentSpec spec) {
        unreachableAgents.remove(spec.id());
        AgentFilesServer files = agentFiles.computeIfAbsent(spec.id(), id -> new AgentFilesServer());
        spec.execution().ifPresent(runtime -> {
            if (executingAgents.containsKey(spec.id())) {
                throw new IllegalArgumentException("agent " + spec.id() + " is already running");
            }
            for (ExecutingAgent other : executingAgents.values()) {
                AgentSpec otherSpec = allocator.agent(other.agentId()).map(Allocator.AgentState::spec).orElse(null);
                if (otherSpec != null && overlap(spec.portRanges(), otherSpec.portRanges())) {
                    throw new IllegalArgumentException("executing agents " + spec.id() + " and " + other.agentId()
                            + " share this machine's network: give them disjoint port ranges, or their tasks"
                            + " collide where real agents would not");
                }
            }
            executingAgents.put(spec.id(), new ExecutingAgent(spec.id(), runtime, listenerFor(spec.id(), files)));
        });
        allocator.addAgent(spec, files.port());
    }

    /** The agent's calls, handed to the master's thread. */
    private AgentListener listenerFor(String agentId, AgentFilesServer files) {
        return new AgentListener() {
            @Override
            public void statusUpdate(String frameworkId, TaskStatus status) {
                onMaster(() -> agentUpdate(frameworkId, status));
            }

            @Override
            public void executorLaunched(String frameworkId, String executorId, java.nio.file.Path sandbox,
                    java.nio.file.Path latestLink) {
                files.attach(sandbox, latestLink.toString());
                files.attach(sandbox, AgentFilesServer.executorVirtualPath(frameworkId, executorId));
                files.attach(sandbox, sandbox.toString());
            }

            @Override
            public void executorExited(String frameworkId, String executorId, int status) {
                onMaster(() -> PeerMaster.this.executorExited(agentId, frameworkId, executorId, status));
            }
        };
    }

    private void onMaster(Runnable action) {
        try {
            clock.execute(action);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the peer is closing: nobody listens any more
        }
    }

    private static boolean overlap(List<long[]> a, List<long[]> b) {
        return a.stream().anyMatch(x -> b.stream().anyMatch(y -> x[0] <= y[1] && y[0] <= x[1]));
    }

    /** The executing agent with this id, if the agent executes. */
    Optional<ExecutingAgent> executingAgent(String agentId) {
        return Optional.ofNullable(executingAgents.get(agentId));
    }

    /** The executing agent whose machine is about to die; it stops being this master's running agent. */
    ExecutingAgent takeForKill(String agentId) {
        ExecutingAgent agent = executingAgents.remove(agentId);
        if (agent == null) {
            throw new IllegalArgumentException("no executing agent " + agentId);
        }
        deadAgents.add(agent);
        return agent;
    }

    /**
     * The agent is gone (removed, or {@code unreachable}: partitioned). Its offers are rescinded, its tasks reported
     * TASK_GONE / TASK_UNREACHABLE to partition-aware frameworks and TASK_LOST to others (reason
     * REASON_AGENT_REMOVED; message wording is ours), and every framework gets FAILURE with the agent id.
     */
    void removeAgent(String agentId, boolean unreachable) {
        if (allocator.agent(agentId).isEmpty()) {
            throw new IllegalArgumentException("no agent " + agentId);
        }
        String hostname = allocator.agent(agentId).get().spec().hostname();
        for (Allocator.OfferRecord offer : allocator.removeAgent(agentId)) {
            rescindEvent(offer);
        }
        updates.dropAgent(agentId);
        if (unreachable) {
            unreachableAgents.add(agentId);
        }
        for (TaskRecord task : List.copyOf(tasks.values())) {
            if (!task.agentId.equals(agentId)) {
                continue;
            }
            task.cancelScript();
            FrameworkRecord framework = frameworks.get(task.frameworkId);
            boolean aware = framework != null && framework.partitionAware();
            TaskState state = !aware ? TaskState.TASK_LOST
                    : unreachable ? TaskState.TASK_UNREACHABLE : TaskState.TASK_GONE;
            task.state = state;
            tasks.remove(key(task.frameworkId, task.id()));
            completedTasks.put(key(task.frameworkId, task.id()), task);
            if (framework != null) {
                masterUpdate(framework, task.info.getTaskId(), AgentID.newBuilder().setValue(agentId).build(),
                        state, TaskStatus.Reason.REASON_AGENT_REMOVED, "Agent " + hostname
                                + (unreachable ? " is unreachable" : " removed"));
            }
        }
        executors.keySet().removeIf(k -> k.startsWith(agentId + "/"));
        for (FrameworkRecord framework : frameworks.values()) {
            if (framework.connected()) {
                framework.stream.send(Event.newBuilder().setType(Event.Type.FAILURE).setFailure(
                        Event.Failure.newBuilder().setAgentId(AgentID.newBuilder().setValue(agentId))).build());
            }
        }
    }

    void scheduleMaintenance(String agentId, Instant start, java.time.Duration duration) {
        allocator.scheduleMaintenance(agentId, start, duration);
    }

    /** One allocation cycle: OFFERS (and INVERSE_OFFERS for agents in maintenance) to connected frameworks. */
    void allocate() {
        Instant now = Instant.now();
        List<FrameworkRecord> active = frameworks.values().stream().filter(FrameworkRecord::connected).toList();
        for (Map.Entry<FrameworkRecord, List<Offer>> e : allocator.allocate(active, now).entrySet()) {
            e.getKey().stream.send(Event.newBuilder().setType(Event.Type.OFFERS)
                    .setOffers(Event.Offers.newBuilder().addAllOffers(e.getValue())).build());
        }
        Map<String, List<String>> agentsInUse = new LinkedHashMap<>();
        tasks.values().stream().filter(t -> !t.terminal()).forEach(t ->
                agentsInUse.computeIfAbsent(t.frameworkId, k -> new ArrayList<>()).add(t.agentId));
        for (Map.Entry<FrameworkRecord, List<InverseOffer>> e
                : allocator.inverseOffers(active, agentsInUse, now).entrySet()) {
            e.getKey().stream.send(Event.newBuilder().setType(Event.Type.INVERSE_OFFERS)
                    .setInverseOffers(Event.InverseOffers.newBuilder().addAllInverseOffers(e.getValue())).build());
        }
    }

    /** The master takes an offer back: RESCIND, resources free again (no filter). */
    boolean rescind(OfferID id) {
        Optional<Allocator.OfferRecord> offer = allocator.offer(id);
        offer.ifPresent(o -> {
            allocator.removeOffer(id);
            rescindEvent(o);
        });
        return offer.isPresent();
    }

    private void rescindEvent(Allocator.OfferRecord offer) {
        FrameworkRecord framework = frameworks.get(offer.frameworkId());
        if (framework != null && framework.connected()) {
            framework.stream.send(Event.newBuilder().setType(Event.Type.RESCIND)
                    .setRescind(Event.Rescind.newBuilder().setOfferId(offer.offer().getId())).build());
        }
    }

    /** Ends every open stream: frameworks are disconnected (their failover timeouts start) and must resubscribe. */
    void dropConnections() {
        for (FrameworkRecord framework : List.copyOf(frameworks.values())) {
            if (framework.stream != null) {
                framework.stream.close();
                disconnected(framework);
            }
        }
    }

    /**
     * A new leader: new master id, every stream closed, offers and filters forgotten, agents and tasks kept (a new
     * leader learns them again from re-registering agents, which resend their unacknowledged updates).
     */
    void failover() {
        dropConnections();
        masterId = newMasterId();
        allocator.newLeader(masterId);
        for (FrameworkRecord framework : frameworks.values()) {
            framework.offerFilters.clear();
            framework.inverseOfferFilters.clear();
            framework.suppressedRoles.clear();
            updates.resendInFlight(framework.value());
        }
    }

    /** A task's executor reports {@code step} now (manual update). */
    void report(String taskId, Lifecycle.Step step) {
        TaskRecord task = liveTask(taskId).orElseThrow(() -> new IllegalArgumentException("no live task " + taskId));
        executorUpdate(task, step);
    }

    void onLaunch(java.util.function.Predicate<TaskInfo> matches, Lifecycle lifecycle) {
        executorsSim.onLaunch(matches, lifecycle);
    }

    Optional<TaskState> taskState(String taskId) {
        return liveTask(taskId).or(() -> completedTasks.values().stream().filter(t -> t.id().equals(taskId))
                .reduce((a, b) -> b)).map(t -> t.state);
    }

    List<String> liveTasks() {
        return tasks.values().stream().filter(t -> !t.terminal()).map(TaskRecord::id).toList();
    }

    List<TaskStatus> unacknowledged() {
        return updates.unacknowledged();
    }

    List<Offer> outstandingOffers() {
        return allocator.outstanding().stream().map(Allocator.OfferRecord::offer).toList();
    }

    List<String> frameworkIds() {
        return List.copyOf(frameworks.keySet());
    }

    Optional<FrameworkRecord> framework(String id) {
        return Optional.ofNullable(frameworks.get(id));
    }

    ResourceBag available(String agentId) {
        return allocator.available(agentId);
    }

    String masterId() {
        return masterId;
    }

    private Optional<TaskRecord> liveTask(String taskId) {
        return tasks.values().stream().filter(t -> t.id().equals(taskId)).findFirst();
    }

    private MasterInfo masterInfo() {
        return MasterInfo.newBuilder().setId(masterId).setIp(0x0100007F).setPort(port).setHostname(host)
                .setVersion("1.11.0")
                .setAddress(Address.newBuilder().setHostname(host).setIp(host).setPort(port)).build();
    }

    private static Event error(String message) {
        return Event.newBuilder().setType(Event.Type.ERROR)
                .setError(Event.Error.newBuilder().setMessage(message)).build();
    }

    private static List<TaskInfo> tasksOf(List<Offer.Operation> operations) {
        List<TaskInfo> all = new ArrayList<>();
        for (Offer.Operation op : operations) {
            if (op.getType() == Offer.Operation.Type.LAUNCH) {
                all.addAll(op.getLaunch().getTaskInfosList());
            } else if (op.getType() == Offer.Operation.Type.LAUNCH_GROUP) {
                all.addAll(op.getLaunchGroup().getTaskGroup().getTasksList());
            }
        }
        return all;
    }

    private static ByteString uuid() {
        UUID u = UUID.randomUUID();
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
    }

    private static String newMasterId() {
        return UUID.randomUUID().toString();
    }

    private static String key(String frameworkId, String taskId) {
        return frameworkId + "/" + taskId;
    }
}
