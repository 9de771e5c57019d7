package io.snapci.scheduler.portworx.sdk;

/** OpenStorage {@code Source}: the volume or snapshot a volume was made from. */
public record VolumeSource(String parent) {
}
