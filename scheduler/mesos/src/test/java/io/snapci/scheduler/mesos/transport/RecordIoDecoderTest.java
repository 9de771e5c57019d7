package io.snapci.scheduler.mesos.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RecordIoDecoderTest {

    /** Record sets covering 1- to 4-digit prefixes, empty records, and data full of digits and LFs. */
    static Stream<List<byte[]>> recordSets() {
        Random random = new Random(42);
        byte[] binary = new byte[1234];
        random.nextBytes(binary);
        return Stream.of(
                List.of(),
                List.of(ascii("a")),
                List.of(ascii("{\"type\":\"HEARTBEAT\"}")),
                List.of(new byte[0], ascii("x"), new byte[0]),
                List.of(ascii("123456789\n"), ascii("\n\n\n"), ascii("0\n0\n")),
                List.of(filled(9), filled(10), filled(99), filled(100), filled(999), filled(1000)),
                List.of(binary, ascii("after-binary"), binary));
    }

    @ParameterizedTest
    @MethodSource("recordSets")
    void decodesWhole(List<byte[]> records) throws Exception {
        assertSame(new RecordIoDecoder().feed(encode(records)), records);
    }

    @ParameterizedTest
    @MethodSource("recordSets")
    void decodesOneByteAtATime(List<byte[]> records) throws Exception {
        byte[] wire = encode(records);
        RecordIoDecoder decoder = new RecordIoDecoder();
        List<byte[]> out = new ArrayList<>();
        for (byte b : wire) {
            out.addAll(decoder.feed(new byte[] {b}));
        }
        assertSame(out, records);
        assertThat(decoder.isMidRecord()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("recordSets")
    void decodesWhenSplitAtEveryByteBoundary(List<byte[]> records) throws Exception {
        byte[] wire = encode(records);
        for (int split = 0; split <= wire.length; split++) {
            RecordIoDecoder decoder = new RecordIoDecoder();
            List<byte[]> out = new ArrayList<>(decoder.feed(wire, 0, split));
            out.addAll(decoder.feed(wire, split, wire.length - split));
            assertSame(out, records);
        }
    }

    @ParameterizedTest
    @MethodSource("recordSets")
    void decodesRandomChunkings(List<byte[]> records) throws Exception {
        byte[] wire = encode(records);
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            RecordIoDecoder decoder = new RecordIoDecoder();
            List<byte[]> out = new ArrayList<>();
            int at = 0;
            while (at < wire.length) {
                int n = Math.min(wire.length - at, random.nextInt(random.nextBoolean() ? 4 : 300) + 1);
                out.addAll(decoder.feed(wire, at, n));
                at += n;
            }
            assertSame(out, records);
        }
    }

    @Test
    void reportsTruncation() throws Exception {
        RecordIoDecoder decoder = new RecordIoDecoder();
        assertThat(decoder.feed(ascii("5\nab"))).isEmpty();
        assertThat(decoder.isMidRecord()).isTrue();
        RecordIoDecoder inPrefix = new RecordIoDecoder();
        inPrefix.feed(ascii("1"));
        assertThat(inPrefix.isMidRecord()).isTrue();
    }

    @Test
    void rejectsNonDigitInPrefix() {
        assertThatThrownBy(() -> new RecordIoDecoder().feed(ascii("12a\nxx")))
                .isInstanceOf(RecordIoException.class)
                .hasMessageContaining("unexpected byte 0x61");
        assertThatThrownBy(() -> new RecordIoDecoder().feed(ascii(" 1\nx")))
                .hasMessageContaining("unexpected byte 0x20");
    }

    @Test
    void rejectsEmptyPrefix() {
        assertThatThrownBy(() -> new RecordIoDecoder().feed(ascii("\n")))
                .isInstanceOf(RecordIoException.class)
                .hasMessageContaining("empty record-size");
    }

    @Test
    void rejectsOversizedRecordBeforeBufferingIt() throws Exception {
        RecordIoDecoder decoder = new RecordIoDecoder(100);
        assertThat(decoder.feed(ascii("100\n"))).isEmpty(); // exactly the maximum is fine
        assertThatThrownBy(() -> new RecordIoDecoder(100).feed(ascii("101")))
                .isInstanceOf(RecordIoException.class)
                .hasMessageContaining("exceeds the maximum of 100");
        assertThatThrownBy(() -> new RecordIoDecoder().feed(ascii("99999999999999999999999999\n")))
                .hasMessageContaining("exceeds the maximum of " + RecordIoDecoder.DEFAULT_MAX_RECORD_BYTES);
    }

    @Test
    void rejectsEndlessLeadingZeros() {
        assertThatThrownBy(() -> new RecordIoDecoder().feed(ascii("0".repeat(25))))
                .hasMessageContaining("more than 20 digits");
    }

    @Test
    void staysFailedAfterAnError() {
        RecordIoDecoder decoder = new RecordIoDecoder();
        assertThatThrownBy(() -> decoder.feed(ascii("x"))).isInstanceOf(RecordIoException.class);
        assertThatThrownBy(() -> decoder.feed(ascii("1\na")))
                .isInstanceOf(RecordIoException.class)
                .hasMessageContaining("already failed");
    }

    private static void assertSame(List<byte[]> actual, List<byte[]> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("record %d", i).isEqualTo(expected.get(i));
        }
    }

    static byte[] encode(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] r : records) {
            out.writeBytes((r.length + "\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(r);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) '7');
        return b;
    }
}
