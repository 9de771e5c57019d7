package io.snapci.scheduler.portworx.sdk;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** The SDK request and response messages snapci sends and reads, with the proto's field names. */
public final class Messages {

    private Messages() {
    }

    /** {@code SdkVolumeInspectResponse}. */
    public record InspectResponse(Volume volume, String name, Map<String, String> labels) {
    }

    /** {@code SdkVolumeInspectWithFiltersRequest}: all given filters must match; none returns every volume. */
    public record InspectWithFiltersRequest(String name, Map<String, String> labels) {
    }

    /** {@code SdkVolumeInspectWithFiltersResponse}. */
    public record InspectWithFiltersResponse(List<InspectResponse> volumes) {
    }

    /** {@code SdkVolumeCreateRequest}. */
    public record CreateRequest(String name, VolumeSpec spec, Map<String, String> labels) {
    }

    /** {@code SdkVolumeCreateResponse} and {@code SdkVolumeCloneResponse}. */
    public record VolumeIdResponse(@JsonProperty("volume_id") String volumeId) {
    }

    /**
     * {@code SdkVolumeCloneRequest}: {@code additional_labels} are merged over the labels the clone inherits from
     * its parent (api.proto:3728-3731, volume_ops.go:214-239); a server too old to know the field ignores it (the
     * gateway allows unknown fields, runtime/marshal_jsonpb.go:175,255), so snapci labels again with an update.
     */
    public record CloneRequest(String name, @JsonProperty("parent_id") String parentId,
                               @JsonProperty("additional_labels") Map<String, String> additionalLabels) {
    }

    /** {@code SdkVolumeSnapshotCreateRequest}. */
    public record SnapshotCreateRequest(@JsonProperty("volume_id") String volumeId, String name,
                                        Map<String, String> labels) {
    }

    /** {@code SdkVolumeSnapshotCreateResponse}. */
    public record SnapshotCreateResponse(@JsonProperty("snapshot_id") String snapshotId) {
    }

    /** {@code SdkVolumeSnapshotEnumerateResponse}. */
    public record SnapshotEnumerateResponse(@JsonProperty("volume_snapshot_ids") List<String> volumeSnapshotIds) {
    }

    /** {@code SdkVolumeUpdateRequest}: labels are merged into the volume's (an empty value deletes one). */
    public record UpdateRequest(@JsonProperty("volume_id") String volumeId, Map<String, String> labels,
                                VolumeSpecUpdate spec) {
    }

    /** {@code SdkNodeEnumerateResponse}. */
    /** SdkVolumeDetachRequest (api.proto): the volume and how to detach it. */
    public record DetachRequest(@JsonProperty("volume_id") String volumeId, DetachOptions options) {
    }

    /**
     * SdkVolumeDetachOptions / api.proto {@code options}: {@code force} detaches even from a node that no longer
     * answers, {@code unmount_before_detach} unmounts first, {@code redirect} lets the node that gets the call pass
     * it to the node the volume is attached on.
     */
    public record DetachOptions(boolean force, @JsonProperty("unmount_before_detach") boolean unmountBeforeDetach,
                                boolean redirect) {
    }

    public record NodeEnumerateResponse(@JsonProperty("node_ids") List<String> nodeIds) {
    }

    /** {@code SdkNodeInspectResponse}. */
    public record NodeInspectResponse(StorageNode node) {
    }

    /**
     * The gateway's error body: a {@code google.rpc.Status} ({@code code}, {@code message}); grpc-gateway v1 also
     * wrote the message as {@code error}.
     */
    /** GroupSnapCreateRequest (api/api.proto:1564), as Go's encoding/json writes its generated struct's tags. */
    public record GroupSnapCreateRequest(String id, @JsonProperty("Labels") Map<String, String> labels,
                                         @JsonProperty("volume_ids") List<String> volumeIds,
                                         @JsonProperty("delete_on_failure") boolean deleteOnFailure) {
    }

    /** GroupSnapCreateResponse: volume id → SnapCreateResponse {volume_create_response: {id}}, and an error. */
    public record GroupSnapCreateResponse(Map<String, SnapCreateResponse> snapshots, String error) {
    }

    public record SnapCreateResponse(@JsonProperty("volume_create_response") VolumeCreateResponse volumeCreateResponse) {
    }

    public record VolumeCreateResponse(String id) {
    }

    public record ErrorBody(Integer code, String message, String error) {
    }
}
