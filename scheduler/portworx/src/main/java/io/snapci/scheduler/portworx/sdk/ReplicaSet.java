package io.snapci.scheduler.portworx.sdk;

import java.util.List;

/** OpenStorage {@code ReplicaSet}: the nodes holding a volume's replicas. */
public record ReplicaSet(List<String> nodes) {
}
