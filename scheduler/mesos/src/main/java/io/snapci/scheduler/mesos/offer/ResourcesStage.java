package io.snapci.scheduler.mesos.offer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks that what is left of the offer for our role holds one more run: cpus, memory, disk (when asked for) and
 * its ports, and that the offer has not taken its maximum number of runs.
 */
public final class ResourcesStage implements OfferStage {

    private final long cpus;
    private final long mem;
    private final long disk;
    private final int maxRunsPerOffer;

    public ResourcesStage(OfferEvaluatorConfig config) {
        this.cpus = Scalars.toMillis(config.cpusPerRun());
        this.mem = Scalars.toMillis(config.memMbPerRun());
        this.disk = Scalars.toMillis(config.diskMbPerRun());
        this.maxRunsPerOffer = config.maxRunsPerOffer();
    }

    @Override
    public Optional<Rejection> check(CandidateOffer offer, PlacedRuns placed) {
        if (offer.runsPlaced() >= maxRunsPerOffer) {
            return Optional.of(new Rejection("resources", "runs-per-offer", "already " + offer.runsPlaced()
                    + " run" + (offer.runsPlaced() == 1 ? "" : "s") + " on this offer (at most " + maxRunsPerOffer + ")"));
        }
        String where = offer.runsPlaced() == 0 ? " offered to role " + offer.role()
                : " left for role " + offer.role() + " after " + offer.runsPlaced() + " run(s) on this offer";
        List<String> lacking = new ArrayList<>();
        String kind = null;
        if (offer.cpusMillis() < cpus) {
            lacking.add("not enough cpus: " + Scalars.format(offer.cpusMillis()) + where + ", " + Scalars.format(cpus)
                    + " needed");
            kind = "cpus";
        }
        if (offer.memMillis() < mem) {
            lacking.add("not enough mem: " + Scalars.format(offer.memMillis()) + " MB" + where + ", "
                    + Scalars.format(mem) + " MB needed");
            kind = kind == null ? "mem" : kind;
        }
        if (disk > 0 && offer.diskMillis() < disk) {
            lacking.add("not enough disk: " + Scalars.format(offer.diskMillis()) + " MB" + where + ", "
                    + Scalars.format(disk) + " MB needed");
            kind = kind == null ? "disk" : kind;
        }
        long ports = offer.freePorts();
        if (ports < OfferEvaluatorConfig.PORTS_PER_RUN) {
            lacking.add("not enough ports: " + ports + where + ", " + OfferEvaluatorConfig.PORTS_PER_RUN + " needed");
            kind = kind == null ? "ports" : kind;
        }
        return lacking.isEmpty() ? Optional.empty()
                : Optional.of(new Rejection("resources", kind, String.join("; ", lacking)));
    }

    /** Takes one run's share of the offer; call only after {@link #check} passed. @return the run's ports */
    int[] take(CandidateOffer offer) {
        return offer.take(cpus, mem, disk, OfferEvaluatorConfig.PORTS_PER_RUN);
    }
}
