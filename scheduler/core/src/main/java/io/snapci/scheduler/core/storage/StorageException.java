package io.snapci.scheduler.core.storage;

/**
 * A storage operation failed. The message is for the person running the CI job: what went wrong and what to do.
 */
public class StorageException extends Exception {

    /** What kind of failure, so callers can decide whether a retry can help. */
    public enum Kind {
        SOURCE_NOT_FOUND,
        INVALID_SOURCE,
        NO_SPACE,
        CONFLICT,
        PERMISSION_DENIED,
        UNAVAILABLE,
        REFUSED,
        INTERNAL
    }

    private final Kind kind;

    public StorageException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StorageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
