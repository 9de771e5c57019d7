package io.snapci.scheduler.portworx.sdk;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * OpenStorage {@code VolumeSpecUpdate}: only the fields present change (proto {@code oneof ..._opt}); absent ones
 * (null) are left out of the JSON and keep their value.
 */
public record VolumeSpecUpdate(String cos,
                               @JsonProperty("io_profile") String ioProfile,
                               @JsonProperty("replica_set") ReplicaSet replicaSet) {

    public boolean isEmpty() {
        return cos == null && ioProfile == null && replicaSet == null;
    }
}
