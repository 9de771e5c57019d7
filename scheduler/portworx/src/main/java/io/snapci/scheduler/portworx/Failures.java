package io.snapci.scheduler.portworx;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.portworx.sdk.GrpcCode;
import io.snapci.scheduler.portworx.sdk.SdkException;

import java.util.Locale;

/**
 * Portworx's answers as messages for the person running the CI job: what Portworx said, and what to do.
 *
 * <p>The SDK wraps every driver failure as Internal (create, snapshot: volume_ops.go:255-258,
 * volume_snapshot.go:61) or Aborted (clone: volume_ops.go:178-190), so the code alone does not tell a full pool or
 * a taken name from a sick cluster: the driver's text does, and only what is left is reported as "unavailable".
 */
final class Failures {

    private Failures() {
    }

    static StorageException of(String doing, SdkException e) {
        String said = "Portworx said: " + e.portworxMessage() + " (" + e.code()
                + (e.httpStatus() > 0 ? ", HTTP " + e.httpStatus() : "") + " on " + e.call() + ")";
        if (e.saysNoSpace()) {
            return noSpace(doing, said, e);
        }
        if (isRouting(e)) {
            return new StorageException(Kind.INTERNAL, doing + " failed: the Portworx SDK gateway does not serve "
                    + e.call() + ". " + said + ". Is the endpoint the OpenStorage SDK REST gateway (port 9021), and"
                    + " is Portworx recent enough (SDK 0.69 or later)?", e);
        }
        if (saysExists(e)) {
            return conflict(doing, said, e);
        }
        return switch (e.code()) {
            case NOT_FOUND -> new StorageException(Kind.SOURCE_NOT_FOUND, doing + " failed: not found. " + said, e);
            case ALREADY_EXISTS -> conflict(doing, said, e);
            case PERMISSION_DENIED, UNAUTHENTICATED -> new StorageException(Kind.PERMISSION_DENIED, doing
                    + " failed: permission denied. " + said + ". Give snapci a Portworx token whose user may read the"
                    + " source and create, update and delete volumes.", e);
            case UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, ABORTED, CANCELLED ->
                    new StorageException(Kind.UNAVAILABLE, doing + " failed after retries. " + said
                            + ". Check that Portworx is healthy (pxctl status) and run the job again.", e);
            default -> new StorageException(Kind.INTERNAL, doing + " failed. " + said, e);
        };
    }

    /** A name that exists as a volume snapci cannot prove its own. */
    static StorageException nameTaken(String name, String holder) {
        return new StorageException(Kind.CONFLICT, "the volume name " + name + " is taken by " + holder
                + ", which snapci did not make (or not for this purpose): delete or rename it if nothing uses it, or"
                + " use a new run id");
    }

    private static StorageException noSpace(String doing, String said, SdkException e) {
        return new StorageException(Kind.NO_SPACE, doing + " failed: Portworx is out of space or at a limit. "
                + said + ". Free space in the CI pool (old snapshots and clones labelled created-by=snapci can go),"
                + " or lower the schedules' retention.", e);
    }

    private static StorageException conflict(String doing, String said, SdkException e) {
        return new StorageException(Kind.CONFLICT, doing + " failed: a volume with that name already exists and is"
                + " not the one snapci expected. " + said + ". Delete the old volume if nothing uses it, or use a new"
                + " run id.", e);
    }

    /** The gateway's router answered (plain text, no gRPC status), not the SDK: no such path or method. */
    private static boolean isRouting(SdkException e) {
        return e.code() == GrpcCode.UNIMPLEMENTED || !e.isStatus() && (e.httpStatus() == 404 || e.httpStatus() == 405);
    }

    private static boolean saysExists(SdkException e) {
        String text = e.portworxMessage() == null ? "" : e.portworxMessage().toLowerCase(Locale.ROOT);
        return (e.code() == GrpcCode.INTERNAL || e.code() == GrpcCode.ABORTED || e.code() == GrpcCode.UNKNOWN)
                && text.contains("already exists");
    }
}
