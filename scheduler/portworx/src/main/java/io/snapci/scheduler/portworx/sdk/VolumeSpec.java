package io.snapci.scheduler.portworx.sdk;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * OpenStorage {@code VolumeSpec}, the fields snapci sets or reads. {@code cos} is the relative class of service
 * (Portworx's io priority: {@code LOW}, {@code MEDIUM}, {@code HIGH}); {@code io_profile} an {@code IoProfile} name.
 * 64-bit numbers travel as strings in proto3 JSON.
 */
public record VolumeSpec(@JsonFormat(shape = JsonFormat.Shape.STRING) Long size,
                         @JsonProperty("ha_level") @JsonFormat(shape = JsonFormat.Shape.STRING) Long haLevel,
                         String cos,
                         @JsonProperty("io_profile") String ioProfile,
                         @JsonProperty("replica_set") ReplicaSet replicaSet) {
}
