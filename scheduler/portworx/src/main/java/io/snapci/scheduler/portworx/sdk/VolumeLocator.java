package io.snapci.scheduler.portworx.sdk;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/** OpenStorage {@code VolumeLocator}: a volume's name and labels. */
public record VolumeLocator(String name, @JsonProperty("volume_labels") Map<String, String> volumeLabels) {
}
