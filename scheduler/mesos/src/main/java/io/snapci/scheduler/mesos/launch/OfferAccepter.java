package io.snapci.scheduler.mesos.launch;

import io.snapci.model.Placement;
import org.apache.mesos.v1.Protos.Address;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.time.Clock;
import java.util.List;

/**
 * Turns placements into ACCEPTs and the rest into DECLINEs (as dcos-commons' OfferAccepter): one ACCEPT per offer
 * carrying a LAUNCH_GROUP for every run placed on it (an offer can be accepted once), and a long refuse filter on
 * what is declined — offers come back with REVIVE when a run arrives.
 */
final class OfferAccepter {

    /** How long declined offers stay away from us. */
    static final double DECLINE_REFUSE_SECONDS = 300;

    private final FrameworkCalls calls;
    private final TaskGroupFactory tasks;
    private final Clock clock;

    OfferAccepter(FrameworkCalls calls, TaskGroupFactory tasks, Clock clock) {
        this.calls = calls;
        this.tasks = tasks;
        this.clock = clock;
    }

    /** A run placed on an offer with its ports. */
    record Placed(RunAttempt attempt, OfferMatcher.Match match) {
    }

    /**
     * Launches every run placed on {@code offer} in one ACCEPT. Each run's placement is recorded (the listener stores
     * it) before the ACCEPT leaves: a scheduler that dies right after knows which tasks to ask the master about.
     */
    void accept(Offer offer, List<Placed> placed) {
        // No long filter on what is left of an accepted offer: it may fit the next waiting run (Mesos' default, 5 s).
        Call.Accept.Builder accept = Call.Accept.newBuilder().addOfferIds(offer.getId());
        for (Placed p : placed) {
            RunAttempt attempt = p.attempt();
            TaskGroupFactory.Launch launch = tasks.build(attempt.run, attempt.clone.volumeNames(),
                    new TaskGroupFactory.Placement(calls.frameworkId(), offer.getAgentId(), p.match().ports(),
                            attempt.attempt));
            accept.addOperations(Offer.Operation.newBuilder()
                    .setType(Offer.Operation.Type.LAUNCH_GROUP)
                    .setLaunchGroup(Offer.Operation.LaunchGroup.newBuilder()
                            .setExecutor(launch.executor()).setTaskGroup(launch.group())));
            attempt.agent = offer.getAgentId();
            attempt.agentUrl = agentUrl(offer);
            attempt.launchedAt = clock.instant();
            launch.group().getTasksList().forEach(t -> attempt.states.put(t.getTaskId().getValue(),
                    TaskState.TASK_STAGING));
            attempt.listener.onPlaced(new Placement(offer.getAgentId().getValue(), offer.getHostname(),
                    attempt.attempt, attempt.agentUrl));
        }
        calls.send(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(accept));
    }

    void decline(List<OfferID> offers) {
        if (!offers.isEmpty()) {
            calls.send(Call.newBuilder().setType(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
                    .addAllOfferIds(offers).setFilters(Filters.newBuilder().setRefuseSeconds(DECLINE_REFUSE_SECONDS))));
        }
    }

    /** {@code http://10.0.3.7:5051} from the offer's {@code url} (mesos.proto Offer.url), or null without one. */
    static String agentUrl(Offer offer) {
        if (!offer.hasUrl() || !offer.getUrl().hasAddress()) {
            return null;
        }
        Address address = offer.getUrl().getAddress();
        String host = address.hasIp() ? address.getIp() : address.getHostname();
        String scheme = offer.getUrl().getScheme().isEmpty() ? "http" : offer.getUrl().getScheme();
        return scheme + "://" + host + ":" + address.getPort();
    }
}
