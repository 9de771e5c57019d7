package io.snapci.scheduler.portworx.sdk;

import java.time.Instant;
import java.util.Map;

/**
 * An OpenStorage {@code Volume} (api.proto), the fields snapci reads. A snapshot is a volume too: read-only, with
 * its volume as {@code source.parent}; a clone is a writable volume whose parent is a snapshot.
 *
 * @param id       the volume id
 * @param source   what it was made from ({@code parent}), if anything
 * @param readonly true for snapshots
 * @param locator  its name and labels
 * @param ctime    when it was created: for a snapshot, when its data was taken
 * @param spec     size, class of service, io profile, replicas
 * @param state    e.g. {@code VOLUME_STATE_DETACHED}
 * @param status   e.g. {@code VOLUME_STATUS_UP}
 * @param attachedOn the node it is attached on (api.proto {@code attached_on}), absent when detached
 */
public record Volume(String id, VolumeSource source, boolean readonly, VolumeLocator locator, Instant ctime,
                     VolumeSpec spec, String state, String status,
                     @com.fasterxml.jackson.annotation.JsonProperty("attached_on") String attachedOn) {

    /** Attached on a node: a container there uses it, or used it on a node that went away without detaching. */
    public boolean isAttached() {
        return attachedOn != null && !attachedOn.isEmpty();
    }

    public String name() {
        return locator == null ? null : locator.name();
    }

    public Map<String, String> labels() {
        return locator == null || locator.volumeLabels() == null ? Map.of() : locator.volumeLabels();
    }

    public String parent() {
        return source == null || source.parent() == null || source.parent().isEmpty() ? null : source.parent();
    }

    /** "snapci-r1-snap (id 123)", for messages. */
    public String describe() {
        return name() + " (id " + id + ")";
    }
}
