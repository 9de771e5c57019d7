package io.snapci.scheduler.portworx;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.portworx.sdk.SdkException;

/** Portworx's answers as messages for the person running the CI job: what Portworx said, and what to do. */
final class Failures {

    private Failures() {
    }

    static StorageException of(String doing, SdkException e) {
        String said = "Portworx said: " + e.portworxMessage() + " (" + e.code()
                + (e.httpStatus() > 0 ? ", HTTP " + e.httpStatus() : "") + " on " + e.call() + ")";
        return switch (e.code()) {
            case NOT_FOUND -> new StorageException(Kind.SOURCE_NOT_FOUND, doing + " failed: not found. " + said, e);
            case ALREADY_EXISTS -> new StorageException(Kind.CONFLICT, doing + " failed: a volume with that name"
                    + " already exists and is not the one snapci expected. " + said
                    + ". Delete the old volume if nothing uses it, or use a new run id.", e);
            case PERMISSION_DENIED, UNAUTHENTICATED -> new StorageException(Kind.PERMISSION_DENIED, doing
                    + " failed: permission denied. " + said + ". Give snapci a Portworx token whose user may read the"
                    + " source and create, update and delete volumes.", e);
            case RESOURCE_EXHAUSTED -> new StorageException(Kind.NO_SPACE, doing + " failed: Portworx is out of"
                    + " space or at a limit. " + said + ". Free space in the CI pool (old snapshots and clones labelled"
                    + " created-by=snapci can go), or lower the schedules' retention.", e);
            case UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, ABORTED, CANCELLED ->
                    new StorageException(Kind.UNAVAILABLE, doing + " failed after retries. " + said
                            + ". Check that Portworx is healthy (pxctl status) and run the job again.", e);
            default -> new StorageException(Kind.INTERNAL, doing + " failed. " + said, e);
        };
    }
}
