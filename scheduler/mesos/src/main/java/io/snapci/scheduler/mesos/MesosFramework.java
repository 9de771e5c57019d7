package io.snapci.scheduler.mesos;

import io.snapci.scheduler.mesos.launch.MesosLauncher;
import io.snapci.scheduler.mesos.transport.SchedulerEventHandler;
import io.snapci.scheduler.core.state.FrameworkIdStore;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.InverseOffer;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * snapci as a Mesos framework: its identity (FrameworkInfo, with the persisted FrameworkID so a restarted scheduler
 * resubscribes as the same framework and keeps its tasks) and the routing of the master's events to the
 * {@link MesosLauncher}. Inverse offers (an agent going into maintenance) are declined: a CI run is short and is
 * not placed there (the offer evaluator refuses offers with unavailability).
 */
public final class MesosFramework implements SchedulerEventHandler {

    /**
     * @param name            the framework name shown in the Mesos and DC/OS UIs
     * @param role            the role offers come from
     * @param principal       the principal (DC/OS service account uid, or the Mesos credential principal)
     * @param user            the user tasks run as
     * @param failoverTimeout how long the master keeps our tasks while no scheduler is subscribed
     */
    public record Settings(String name, String role, String principal, String user, Duration failoverTimeout) {
    }

    private final Settings settings;
    private final FrameworkIdStore frameworkIds;
    private final MesosLauncher launcher;
    private final Consumer<Call> sender;
    private final Consumer<String> log;
    private final Consumer<String> onFatal;

    /**
     * @param sender  sends a call without waiting for offers to be handled (decline of inverse offers)
     * @param onFatal told when the master ended this framework (ERROR): the scheduler process should exit
     */
    public MesosFramework(Settings settings, FrameworkIdStore frameworkIds, MesosLauncher launcher,
                          Consumer<Call> sender, Consumer<String> log, Consumer<String> onFatal) {
        this.settings = settings;
        this.frameworkIds = frameworkIds;
        this.launcher = launcher;
        this.sender = sender;
        this.log = log;
        this.onFatal = onFatal;
    }

    /** What the client subscribes with, asked at every (re)subscription: the stored FrameworkID, if any. */
    public FrameworkInfo frameworkInfo() {
        FrameworkInfo.Builder info = FrameworkInfo.newBuilder()
                .setName(settings.name())
                .setUser(settings.user())
                .setPrincipal(settings.principal())
                .addRoles(settings.role())
                .setCheckpoint(true)
                .setFailoverTimeout(settings.failoverTimeout().toSeconds())
                .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
                .addCapabilities(FrameworkInfo.Capability.newBuilder()
                        .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE));
        frameworkIds.load().ifPresent(id -> info.setId(FrameworkID.newBuilder().setValue(id)));
        return info.build();
    }

    @Override
    public void onSubscribed(Event.Subscribed subscribed) {
        log.accept("subscribed as framework " + subscribed.getFrameworkId().getValue());
        launcher.subscribed(subscribed.getFrameworkId());
    }

    @Override
    public void onOffers(Event.Offers offers) {
        launcher.offers(offers.getOffersList());
    }

    @Override
    public void onInverseOffers(Event.InverseOffers inverseOffers) {
        List<InverseOffer> offers = inverseOffers.getInverseOffersList();
        if (offers.isEmpty()) {
            return;
        }
        Call.DeclineInverseOffers.Builder decline = Call.DeclineInverseOffers.newBuilder();
        offers.forEach(o -> decline.addInverseOfferIds(o.getId()));
        sender.accept(Call.newBuilder().setType(Call.Type.DECLINE_INVERSE_OFFERS)
                .setFrameworkId(offers.get(0).getFrameworkId()).setDeclineInverseOffers(decline).build());
    }

    @Override
    public void onUpdate(Event.Update update) {
        launcher.update(update.getStatus());
    }

    @Override
    public void onFailure(Event.Failure failure) {
        if (failure.hasAgentId() && !failure.hasExecutorId()) {
            launcher.agentRemoved(failure.getAgentId());
        }
    }

    @Override
    public void onDisconnected(String reason) {
        log.accept("disconnected from the Mesos master (" + reason + "); resubscribing");
    }

    @Override
    public void onError(String message) {
        log.accept("the Mesos master ended this framework: " + message);
        if (message.contains("removed")) {
            // The master tore the framework down (mesos src/master/master.cpp: "Framework has been removed"): its id
            // can never subscribe again, so the next process must register afresh.
            frameworkIds.clear();
        }
        onFatal.accept(message);
    }
}
