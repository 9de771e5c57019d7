package io.snapci.scheduler.mesos.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * Incremental decoder for Mesos RecordIO, the framing of the SUBSCRIBE event stream.
 *
 * <p>Grammar, from apache/mesos {@code docs/recordio.md}:
 * <pre>
 *   records     = *record
 *   record      = record-size LF record-data
 *   record-size = 1*DIGIT
 *   record-data = record-size(OCTET)
 * </pre>
 * The same document (and {@code docs/scheduler-http-api.md}, "RecordIO response format") warns that proxies may change
 * chunk boundaries freely, so this decoder keeps its state between {@link #feed} calls: a record, or its length prefix,
 * may be split anywhere, and one chunk may carry many records.
 *
 * <p>The record size is bounded by {@code maxRecordBytes} and checked digit by digit, so a corrupt or hostile prefix is
 * rejected before we allocate for it. We follow the BNF strictly (no empty lines, no whitespace): anything else means
 * the stream is out of sync and the only safe recovery is a new subscription. After an exception the decoder stays
 * failed. Not thread-safe: one decoder per stream, fed by one reader.
 */
public final class RecordIoDecoder {

    /** Default upper bound for one record: far above any real Mesos event, low enough not to exhaust the heap. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

    /** {@code record-size} is a uint64: more digits than that cannot be a valid prefix. */
    private static final int MAX_SIZE_DIGITS = 20;

    private final int maxRecordBytes;

    private long size;
    private int sizeDigits;
    private byte[] record; // non-null while filling record-data
    private int filled;
    private String failure;

    public RecordIoDecoder() {
        this(DEFAULT_MAX_RECORD_BYTES);
    }

    public RecordIoDecoder(int maxRecordBytes) {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be positive: " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    public List<byte[]> feed(byte[] chunk) throws RecordIoException {
        return feed(chunk, 0, chunk.length);
    }

    /** Consumes {@code length} bytes of {@code chunk} from {@code offset}; returns the records completed, in order. */
    public List<byte[]> feed(byte[] chunk, int offset, int length) throws RecordIoException {
        if (failure != null) {
            throw new RecordIoException("decoder already failed: " + failure);
        }
        List<byte[]> records = new ArrayList<>(2);
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (record == null) {
                readSizeByte(chunk[i++], records);
            } else {
                int n = Math.min(end - i, record.length - filled);
                System.arraycopy(chunk, i, record, filled, n);
                filled += n;
                i += n;
                if (filled == record.length) {
                    records.add(record);
                    resetRecord();
                }
            }
        }
        return records;
    }

    /** True when bytes of an unfinished record (or of its size) are buffered: end of stream here means truncation. */
    public boolean isMidRecord() {
        return sizeDigits > 0 || record != null;
    }

    private void readSizeByte(byte b, List<byte[]> records) throws RecordIoException {
        if (b == '\n') {
            if (sizeDigits == 0) {
                throw fail("malformed RecordIO: empty record-size before LF");
            }
            if (size == 0) {
                // Valid per the grammar though Mesos never sends one; let the caller decide what it means.
                records.add(new byte[0]);
                resetRecord();
            } else {
                record = new byte[(int) size];
                filled = 0;
            }
        } else if (b >= '0' && b <= '9') {
            if (++sizeDigits > MAX_SIZE_DIGITS) {
                throw fail("malformed RecordIO: record-size has more than " + MAX_SIZE_DIGITS + " digits");
            }
            size = size * 10 + (b - '0');
            if (size > maxRecordBytes) {
                // size stays <= maxRecordBytes * 10 + 9 before this check, so it cannot overflow a long.
                throw fail("RecordIO record of at least " + size + " bytes exceeds the maximum of " + maxRecordBytes);
            }
        } else {
            throw fail(String.format("malformed RecordIO: unexpected byte 0x%02x in record-size", b & 0xff));
        }
    }

    private void resetRecord() {
        record = null;
        filled = 0;
        size = 0;
        sizeDigits = 0;
    }

    private RecordIoException fail(String message) {
        failure = message;
        return new RecordIoException(message);
    }
}
