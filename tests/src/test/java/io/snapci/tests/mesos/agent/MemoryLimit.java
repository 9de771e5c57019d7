package io.snapci.tests.mesos.agent;

import java.util.List;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;

/**
 * The cgroups memory isolator's OOM limitation (mesos 1.11.0
 * {@code src/slave/containerizer/mesos/isolators/cgroups/subsystems/memory.cpp:653-706}): message
 * {@code Memory limit exceeded: Requested: <limit> Maximum Used: <max usage>\n\nMEMORY STATISTICS: \n<memory.stat>\n},
 * reason REASON_CONTAINER_LIMITATION_MEMORY, limited resource {@code mem:<max usage in MB>} of role {@code *}. The
 * hard limit is the container's {@code mem}, at least 32 MB. Bytes are printed as stout prints them (the largest unit
 * that loses nothing, {@code stout/bytes.hpp:141-157}). The peer's "memory.stat" has the one figure it measures,
 * the resident set of the container's processes.
 */
final class MemoryLimit {

    static final long MB = 1024L * 1024L;
    static final long MIN_MEMORY = 32 * MB;

    private MemoryLimit() {
    }

    static Termination limitation(long limitBytes, long maxUsedBytes) {
        String message = "Memory limit exceeded: Requested: " + bytes(limitBytes) + " Maximum Used: "
                + bytes(maxUsedBytes) + "\n\nMEMORY STATISTICS: \nrss " + maxUsedBytes + "\ntotal_rss " + maxUsedBytes
                + "\n\n";
        Resource mem = Resource.newBuilder().setName("mem").setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue((double) maxUsedBytes / MB)).build();
        return Termination.limitation(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY, message, List.of(mem));
    }

    /** Megabytes of the {@code mem} resources in {@code resources}. */
    static double megabytes(List<Resource> resources) {
        return resources.stream().filter(r -> r.getName().equals("mem")).mapToDouble(r -> r.getScalar().getValue())
                .sum();
    }

    static long limitBytes(double megabytes) {
        return Math.max(MIN_MEMORY, (long) (megabytes * MB));
    }

    static String bytes(long b) {
        long kb = 1024;
        if (b == 0) {
            return "0B";
        } else if (b % kb != 0) {
            return b + "B";
        } else if (b % MB != 0) {
            return b / kb + "KB";
        } else if (b % (MB * 1024) != 0) {
            return b / MB + "MB";
        } else if (b % (MB * 1024 * 1024) != 0) {
            return b / (MB * 1024) + "GB";
        }
        return b / (MB * 1024 * 1024) + "TB";
    }
}
