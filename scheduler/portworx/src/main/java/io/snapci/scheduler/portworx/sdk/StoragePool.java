package io.snapci.scheduler.portworx.sdk;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/** OpenStorage {@code StoragePool}: note the proto's capitalised {@code Cos} and {@code Medium} field names. */
public record StoragePool(String uuid, @JsonProperty("Cos") String cos, @JsonProperty("Medium") String medium,
                          Map<String, String> labels) {

    public Map<String, String> labelMap() {
        return labels == null ? Map.of() : labels;
    }
}
