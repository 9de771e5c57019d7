package io.snapci.scheduler.core.state;

import java.io.IOException;

/**
 * A stored record was written by a newer snapci whose record layout this one cannot read (a newer major
 * {@link SchemaVersion}). The record is left exactly as it is: see {@link StoredRecords} for what the stores do.
 */
public final class NewerSchemaException extends IOException {

    private final SchemaVersion written;

    NewerSchemaException(SchemaVersion written, SchemaVersion readable) {
        super("it was written by a newer snapci (record schema " + written + "; this snapci reads up to "
                + readable.major() + ".x), so it is left as it is: upgrade snapci to read it");
        this.written = written;
    }

    public SchemaVersion written() {
        return written;
    }
}
