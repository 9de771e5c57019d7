package io.snapci.scheduler.mesos.offer;

import io.snapci.scheduler.mesos.launch.MesosLaunchConfig;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an offer must hold for one run, and where runs may go.
 *
 * @param role                 the Mesos role whose resources count (see {@link RoleFilter})
 * @param cpusPerRun           cpus of one run's task group, executor included
 * @param memMbPerRun          memory of one run's task group (MB), executor included
 * @param diskMbPerRun         scratch disk of one run (MB); 0 when the launch asks for none
 * @param requiredAttributes   agent attributes that must be present with these values, e.g. {@code tier → ci}
 * @param constraints          Marathon constraints, checked when they are built
 * @param maintenanceHorizon   an agent whose maintenance window starts within this horizon is not used: a run
 *                             placed there would be killed by the drain
 * @param maxRunsPerOffer      how many runs one offer may take ({@code MesosLauncher} puts them all into the offer's
 *                             one ACCEPT, a LAUNCH_GROUP each). The default, 1, spreads the runs of one allocation
 *                             cycle across agents; an agent with room left is offered again in the next cycle.
 * @param countReserved        count resources reserved for our role (or an ancestor). Off while the task group asks
 *                             for unreserved resources: Mesos only lets a task use a reservation it names.
 */
public record OfferEvaluatorConfig(String role, double cpusPerRun, double memMbPerRun, double diskMbPerRun,
                                   Map<String, String> requiredAttributes, List<MarathonConstraint> constraints,
                                   Duration maintenanceHorizon, int maxRunsPerOffer, boolean countReserved) {

    /** The two ports a run takes from an offer: Cassandra's CQL (native transport) port and its storage port. */
    public static final int PORTS_PER_RUN = io.snapci.scheduler.mesos.launch.RunPorts.COUNT;
    public static final Duration DEFAULT_MAINTENANCE_HORIZON = Duration.ofHours(2);

    public OfferEvaluatorConfig {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("The offer evaluator needs the framework's role");
        }
        if (!(cpusPerRun > 0) || !(memMbPerRun > 0) || !(diskMbPerRun >= 0)) {
            throw new IllegalArgumentException("A run needs positive cpus and memory and no negative disk (got cpus "
                    + cpusPerRun + ", mem " + memMbPerRun + " MB, disk " + diskMbPerRun + " MB)");
        }
        Objects.requireNonNull(maintenanceHorizon, "maintenanceHorizon");
        if (maintenanceHorizon.isNegative()) {
            throw new IllegalArgumentException("The maintenance horizon cannot be negative: " + maintenanceHorizon);
        }
        if (maxRunsPerOffer < 1) {
            throw new IllegalArgumentException("maxRunsPerOffer must be at least 1, got " + maxRunsPerOffer);
        }
        requiredAttributes = requiredAttributes == null ? Map.of() : Map.copyOf(requiredAttributes);
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
    }

    /**
     * The evaluator's config for snapci's task groups: cpus and memory from the launch config (Cassandra + tests +
     * executor), no disk, one run per offer, unreserved resources only.
     *
     * @param requiredAttributes {@code name:value} pairs, e.g. {@code tier:ci}
     * @param constraints        Marathon constraints, e.g. {@code List.of(List.of("hostname", "MAX_PER", "2"))}
     */
    public static OfferEvaluatorConfig forLaunch(MesosLaunchConfig launch, List<String> requiredAttributes,
                                                 List<List<String>> constraints, Duration maintenanceHorizon) {
        return new OfferEvaluatorConfig(launch.role(), launch.totalCpus(), launch.totalMemMb(), launch.totalDiskMb(),
                parseAttributes(requiredAttributes), constraints.stream().map(MarathonConstraint::parse).toList(),
                maintenanceHorizon, 1, false);
    }

    /** {@code ["tier:ci", "zone:eu-1"]} → {@code {tier=ci, zone=eu-1}}; the value may contain colons. */
    public static Map<String, String> parseAttributes(List<String> pairs) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String pair : pairs) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new IllegalArgumentException("A required agent attribute is name:value, e.g. tier:ci (got '"
                        + pair + "')");
            }
            attributes.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
        }
        return attributes;
    }

    public OfferEvaluatorConfig withDiskMb(double diskMb) {
        return new OfferEvaluatorConfig(role, cpusPerRun, memMbPerRun, diskMb, requiredAttributes, constraints,
                maintenanceHorizon, maxRunsPerOffer, countReserved);
    }

    public OfferEvaluatorConfig withMaxRunsPerOffer(int max) {
        return new OfferEvaluatorConfig(role, cpusPerRun, memMbPerRun, diskMbPerRun, requiredAttributes, constraints,
                maintenanceHorizon, max, countReserved);
    }

    public OfferEvaluatorConfig withCountReserved(boolean count) {
        return new OfferEvaluatorConfig(role, cpusPerRun, memMbPerRun, diskMbPerRun, requiredAttributes, constraints,
                maintenanceHorizon, maxRunsPerOffer, count);
    }
}
