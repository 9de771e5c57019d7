package io.snapci.scheduler.portworx.sdk;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** OpenStorage {@code StorageNode}, the fields used to find the CI tier's nodes and pools. */
public record StorageNode(String id, String hostname, String status,
                          @JsonProperty("node_labels") Map<String, String> nodeLabels, List<StoragePool> pools) {

    public Map<String, String> labels() {
        return nodeLabels == null ? Map.of() : nodeLabels;
    }

    public List<StoragePool> poolList() {
        return pools == null ? List.of() : pools;
    }
}
