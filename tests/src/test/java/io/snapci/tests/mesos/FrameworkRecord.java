package io.snapci.tests.mesos;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/**
 * A framework as the master holds it: its info, the stream it is connected on (null while disconnected), the roles it
 * suppressed, its offer filters and its failover timer. Touched only on the master thread.
 */
final class FrameworkRecord {

    /** Resources declined on one agent, not offered again until {@code until} unless more become available. */
    record Filter(ResourceBag refused, Instant until) {
    }

    final FrameworkID id;
    FrameworkInfo info;
    EventStream stream;
    final Set<String> suppressedRoles = new HashSet<>();
    final Map<String, Filter> offerFilters = new HashMap<>();
    final Map<String, Instant> inverseOfferFilters = new HashMap<>();
    ScheduledFuture<?> failoverTimer;

    FrameworkRecord(FrameworkID id, FrameworkInfo info) {
        this.id = id;
        this.info = info;
    }

    boolean connected() {
        return stream != null && !stream.isClosed();
    }

    boolean hasCapability(FrameworkInfo.Capability.Type type) {
        return info.getCapabilitiesList().stream().anyMatch(c -> c.getType() == type);
    }

    /** PARTITION_AWARE frameworks get TASK_DROPPED/GONE/UNREACHABLE/UNKNOWN where others get TASK_LOST. */
    boolean partitionAware() {
        return hasCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
    }

    /** {@code roles} for MULTI_ROLE frameworks, else the legacy single {@code role} (default "*"). */
    List<String> roles() {
        if (hasCapability(FrameworkInfo.Capability.Type.MULTI_ROLE)) {
            return info.getRolesList();
        }
        return List.of(info.hasRole() ? info.getRole() : "*");
    }

    String value() {
        return id.getValue();
    }
}
