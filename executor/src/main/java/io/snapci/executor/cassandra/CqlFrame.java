package io.snapci.executor.cassandra;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One frame of the CQL native protocol, version 4 (what Cassandra 3.0 to 5.0 all speak, and the last version whose
 * frames are not wrapped in v5's checksummed segments): a 9-byte header, then the body. Only what the readiness
 * probe sends and reads is here.
 *
 * @param stream the request's stream id, echoed in its response
 * @param opcode what the frame is (the {@code OP_*} constants)
 * @param body   the body after the header, with any tracing id, warnings and custom payload already removed
 */
record CqlFrame(short stream, byte opcode, ByteBuffer body) {

    static final byte VERSION = 0x04;
    static final byte RESPONSE = (byte) 0x80;

    static final byte OP_ERROR = 0x00;
    static final byte OP_STARTUP = 0x01;
    static final byte OP_READY = 0x02;
    static final byte OP_AUTHENTICATE = 0x03;
    static final byte OP_OPTIONS = 0x05;
    static final byte OP_SUPPORTED = 0x06;
    static final byte OP_QUERY = 0x07;
    static final byte OP_RESULT = 0x08;

    private static final int FLAG_COMPRESSED = 0x01;
    private static final int FLAG_TRACING = 0x02;
    private static final int FLAG_CUSTOM_PAYLOAD = 0x04;
    private static final int FLAG_WARNING = 0x08;

    /** A node never sends the probe more than this; a larger length means the bytes are not a CQL frame. */
    private static final int MAX_BODY = 1 << 20;

    static void writeRequest(OutputStream out, short stream, byte opcode, byte[] body) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(9);
        header.put(VERSION).put((byte) 0).putShort(stream).put(opcode).putInt(body.length);
        out.write(header.array());
        out.write(body);
        out.flush();
    }

    /** Reads one response frame; throws when the bytes are not one (another protocol on the port, a cut stream). */
    static CqlFrame readResponse(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[9];
        try {
            data.readFully(header);
        } catch (EOFException e) {
            throw new EOFException("the node closed the connection without answering");
        }
        ByteBuffer h = ByteBuffer.wrap(header);
        byte version = h.get();
        int flags = h.get() & 0xFF;
        short stream = h.getShort();
        byte opcode = h.get();
        int length = h.getInt();
        // A node that does not speak v4 still answers in its own version with an ERROR frame: read that too.
        if ((version & RESPONSE) == 0 || length < 0 || length > MAX_BODY) {
            throw new IOException(String.format("the port answered bytes that are not a CQL response "
                    + "(first byte 0x%02x)", version & 0xFF));
        }
        if ((flags & FLAG_COMPRESSED) != 0) {
            throw new IOException("the node compressed its answer although the probe asked for no compression");
        }
        byte[] body = new byte[length];
        data.readFully(body);
        ByteBuffer buffer = ByteBuffer.wrap(body);
        if ((flags & FLAG_TRACING) != 0) {
            buffer.position(buffer.position() + 16);
        }
        if ((flags & FLAG_WARNING) != 0) {
            int warnings = buffer.getShort() & 0xFFFF;
            for (int i = 0; i < warnings; i++) {
                readString(buffer);
            }
        }
        if ((flags & FLAG_CUSTOM_PAYLOAD) != 0) {
            int entries = buffer.getShort() & 0xFFFF;
            for (int i = 0; i < entries; i++) {
                readString(buffer);
                readBytes(buffer);
            }
        }
        return new CqlFrame(stream, opcode, buffer.slice());
    }

    /** A {@code [string map]}. */
    static byte[] stringMap(Map<String, String> map) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeShort(out, map.size());
        map.forEach((k, v) -> {
            writeString(out, k);
            writeString(out, v);
        });
        return out.toByteArray();
    }

    /** A QUERY body: {@code [long string]} query, consistency, no flags (no values, no paging, no options). */
    static byte[] query(String cql, short consistency) {
        byte[] text = cql.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(4 + text.length + 2 + 1);
        body.putInt(text.length).put(text).putShort(consistency).put((byte) 0);
        return body.array();
    }

    /** An ERROR body as text: its code in hex, as the protocol spec lists them, and the node's message. */
    static String errorText(ByteBuffer body) {
        int code = body.getInt();
        return String.format("error 0x%04x: %s", code, readString(body));
    }

    static String readString(ByteBuffer buffer) {
        int length = buffer.getShort() & 0xFFFF;
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A {@code [bytes]} value; null when its length is negative (a null value). */
    static byte[] readBytes(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write((value >>> 8) & 0xFF);
        out.write(value & 0xFF);
    }

    private static void writeString(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeShort(out, bytes.length);
        out.write(bytes, 0, bytes.length);
    }
}
