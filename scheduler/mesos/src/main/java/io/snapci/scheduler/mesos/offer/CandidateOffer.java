package io.snapci.scheduler.mesos.offer;

import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One offer during one round of matching: what our role may use of it, minus what the runs already placed on it in
 * this round took (cpus, memory, disk, ports). Built once per offer; not shared between threads.
 */
public final class CandidateOffer {

    private final Offer offer;
    private final String role;
    private final Map<String, String> attributes;
    private long cpus;
    private long mem;
    private long disk;
    /** Free port ranges, sorted by begin and not overlapping: {begin, end} inclusive. */
    private final List<long[]> ports;
    private final Set<String> otherRoles = new TreeSet<>();
    private final Set<String> reservedSkipped = new TreeSet<>();
    private int runsPlaced;

    CandidateOffer(Offer offer, RoleFilter filter) {
        this.offer = offer;
        this.role = filter.role();
        this.attributes = AgentFields.formatAll(offer.getAttributesList());
        List<long[]> ranges = new ArrayList<>();
        for (Resource resource : offer.getResourcesList()) {
            switch (filter.classify(offer, resource)) {
                case USABLE -> add(resource, ranges);
                case OTHER_ROLE -> otherRoles.add(RoleFilter.allocatedRole(offer, resource).orElse("?"));
                case RESERVED -> reservedSkipped.add(resource.getName() + " reserved for "
                        + RoleFilter.reservationRole(resource).orElse("?"));
                case REVOCABLE -> {
                    // never counted, see RoleFilter
                }
            }
        }
        this.ports = merge(ranges);
    }

    private void add(Resource resource, List<long[]> ranges) {
        switch (resource.getName()) {
            case "cpus" -> cpus += Scalars.toMillis(resource.getScalar().getValue());
            case "mem" -> mem += Scalars.toMillis(resource.getScalar().getValue());
            // Only the agent's scratch disk: a MOUNT/PATH disk or a persistent volume (DiskInfo set) is not sandbox.
            case "disk" -> {
                if (!resource.hasDisk()) {
                    disk += Scalars.toMillis(resource.getScalar().getValue());
                }
            }
            case "ports" -> {
                for (Value.Range range : resource.getRanges().getRangeList()) {
                    ranges.add(new long[]{range.getBegin(), range.getEnd()});
                }
            }
            default -> {
                // gpus and custom resources: snapci asks for none
            }
        }
    }

    private static List<long[]> merge(List<long[]> ranges) {
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] range : ranges) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && range[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], range[1]);
            } else {
                merged.add(new long[]{range[0], range[1]});
            }
        }
        return merged;
    }

    public Offer offer() {
        return offer;
    }

    public String agentId() {
        return offer.getAgentId().getValue();
    }

    public String hostname() {
        return offer.getHostname();
    }

    public String role() {
        return role;
    }

    /** The agent's attributes formatted as Marathon constraints read them (see {@link AgentFields}). */
    public Map<String, String> attributes() {
        return attributes;
    }

    public Optional<String> field(String name) {
        return AgentFields.read(name, hostname(), attributes);
    }

    long cpusMillis() {
        return cpus;
    }

    long memMillis() {
        return mem;
    }

    long diskMillis() {
        return disk;
    }

    boolean hasAnythingForRole() {
        return cpus > 0 || mem > 0 || disk > 0 || !ports.isEmpty();
    }

    Set<String> otherRoles() {
        return otherRoles;
    }

    Set<String> reservedSkipped() {
        return reservedSkipped;
    }

    int runsPlaced() {
        return runsPlaced;
    }

    long freePorts() {
        long count = 0;
        for (long[] range : ports) {
            count += range[1] - range[0] + 1;
        }
        return count;
    }

    /** Takes what one run needs; the caller has checked it fits. Ports are the lowest free ones, in order. */
    int[] take(long cpusMillis, long memMillis, long diskMillis, int portCount) {
        cpus -= cpusMillis;
        mem -= memMillis;
        disk -= diskMillis;
        int[] taken = new int[portCount];
        for (int i = 0; i < portCount; i++) {
            long[] first = ports.get(0);
            taken[i] = (int) first[0];
            if (first[0] == first[1]) {
                ports.remove(0);
            } else {
                first[0]++;
            }
        }
        runsPlaced++;
        return taken;
    }
}
