package io.snapci.scheduler.storage.portworx.sdk;

/** OpenStorage {@code Source}: the volume or snapshot a volume was made from. */
public record VolumeSource(String parent) {
}
