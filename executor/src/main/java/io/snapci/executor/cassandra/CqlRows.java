package io.snapci.executor.cassandra;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a RESULT frame of kind Rows (native protocol v4, section 4.2.5.2) into rows of text values by column
 * name. The probe only selects text columns; other types are skipped over correctly but read as UTF-8.
 */
final class CqlRows {

    private static final int KIND_ROWS = 0x0002;
    private static final int GLOBAL_TABLES_SPEC = 0x0001;
    private static final int HAS_MORE_PAGES = 0x0002;
    private static final int NO_METADATA = 0x0004;

    private CqlRows() {
    }

    static List<Map<String, String>> read(ByteBuffer body) throws IOException {
        int kind = body.getInt();
        if (kind != KIND_ROWS) {
            throw new IOException("the query's result was of kind " + kind + ", not rows");
        }
        int flags = body.getInt();
        int columnCount = body.getInt();
        if ((flags & HAS_MORE_PAGES) != 0) {
            CqlFrame.readBytes(body);  // the paging state
        }
        if ((flags & NO_METADATA) != 0) {
            throw new IOException("the result came without column names");
        }
        boolean global = (flags & GLOBAL_TABLES_SPEC) != 0;
        if (global) {
            CqlFrame.readString(body);
            CqlFrame.readString(body);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < columnCount; i++) {
            if (!global) {
                CqlFrame.readString(body);
                CqlFrame.readString(body);
            }
            names.add(CqlFrame.readString(body));
            skipType(body);
        }
        int rowCount = body.getInt();
        List<Map<String, String>> rows = new ArrayList<>();
        for (int r = 0; r < rowCount; r++) {
            Map<String, String> row = new HashMap<>();
            for (String name : names) {
                byte[] value = CqlFrame.readBytes(body);
                row.put(name, value == null ? null : new String(value, StandardCharsets.UTF_8));
            }
            rows.add(row);
        }
        return rows;
    }

    /** Skips one {@code [option]} column type, with the types nested in collections, UDTs and tuples. */
    private static void skipType(ByteBuffer body) {
        int id = body.getShort() & 0xFFFF;
        switch (id) {
            case 0x0000 -> CqlFrame.readString(body);             // custom: its class name
            case 0x0020, 0x0022 -> skipType(body);               // list, set
            case 0x0021 -> {                                      // map
                skipType(body);
                skipType(body);
            }
            case 0x0030 -> {                                      // UDT: keyspace, name, fields
                CqlFrame.readString(body);
                CqlFrame.readString(body);
                int fields = body.getShort() & 0xFFFF;
                for (int i = 0; i < fields; i++) {
                    CqlFrame.readString(body);
                    skipType(body);
                }
            }
            case 0x0031 -> {                                      // tuple
                int elements = body.getShort() & 0xFFFF;
                for (int i = 0; i < elements; i++) {
                    skipType(body);
                }
            }
            default -> {
                // a native type: the id is all there is
            }
        }
    }
}
