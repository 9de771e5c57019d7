package io.snapci.scheduler.mesos.transport;

import java.io.IOException;

/**
 * The subscription stream is not valid Mesos RecordIO (bad length prefix, or a record larger than we accept). It is an
 * {@link IOException} because it means the same as a broken connection: drop the stream and resubscribe.
 */
public final class RecordIoException extends IOException {

    public RecordIoException(String message) {
        super(message);
    }
}
