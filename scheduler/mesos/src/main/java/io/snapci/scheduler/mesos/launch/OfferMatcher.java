package io.snapci.scheduler.mesos.launch;

import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;

import java.util.List;

/** Decides which waiting runs go on which offers; every offer it does not use is declined. */
public interface OfferMatcher {

    Matches match(List<String> waitingRunIds, List<Offer> offers);

    /**
     * A run's attempt ended (or the run ended): a matcher that spreads runs (Marathon UNIQUE, MAX_PER, ...) stops
     * counting it where it was placed. Matchers that remember nothing ignore it.
     */
    default void released(String runId) {
    }

    /** A run placed on an offer, with the ports it takes from it. */
    record Match(String runId, Offer offer, RunPorts ports) {
    }

    /** @param declined offers to decline, each with why it did not fit */
    record Matches(List<Match> matches, List<Declined> declined) {
    }

    record Declined(OfferID offerId, String reason) {
    }
}
