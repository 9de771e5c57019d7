package io.snapci.tests.mesos;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Frames events as apache/mesos {@code docs/recordio.md} (1.11.0) describes: {@code <length in decimal>\n<bytes>}
 * per record, the length counting the bytes of the serialized protobuf. Each record is flushed on its own so it goes
 * out as (at least) one HTTP chunk, as the master's streaming pipe does.
 */
final class RecordIoWriter {

    private final OutputStream out;

    RecordIoWriter(OutputStream out) {
        this.out = out;
    }

    void write(Event event) throws IOException {
        byte[] data = event.toByteArray();
        out.write((data.length + "\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.flush();
    }

    /** The framing of one record, for tests that check it byte by byte. */
    static byte[] frame(Event event) {
        byte[] data = event.toByteArray();
        byte[] prefix = (data.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] record = new byte[prefix.length + data.length];
        System.arraycopy(prefix, 0, record, 0, prefix.length);
        System.arraycopy(data, 0, record, prefix.length, data.length);
        return record;
    }
}
