package io.snapci.executor.mask;

import io.snapci.model.mask.MaskHash;
import io.snapci.model.mask.MaskRule;

import java.util.HexFormat;
import java.util.List;

/** The text transforms: each output is derived from the keyed hash of the input, so it is deterministic. */
final class TextMasks {

    /** Kept by keep-chars when the rule names none: the characters the guestbook's bug and its kind depend on. */
    static final String DEFAULT_KEPT = "\"'`\\<>&";

    private static final List<String> FIRST = List.of("Alex", "Sam", "Robin", "Kim", "Jordan", "Taylor", "Morgan",
            "Casey", "Jamie", "Riley", "Avery", "Quinn", "Dana", "Drew", "Jesse", "Noa");
    private static final List<String> LAST = List.of("Smith", "Berg", "Moreau", "Rossi", "Novak", "Silva", "Kowal",
            "Jensen", "Weber", "Costa", "Dubois", "Larsen", "Meyer", "Nagy", "Olsen", "Pohl");
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

    private TextMasks() {
    }

    static String mask(MaskRule rule, MaskHash hash, String value) {
        return switch (rule.transform()) {
            case NULL -> null;
            case REDACT -> rule.argument() == null ? "REDACTED" : rule.argument();
            case HASH -> hash.hex(value).substring(0, 32);
            case EMAIL -> email(hash.digest(value));
            case PHONE -> phone(hash.digest(value), value);
            case NAME -> name(hash.digest(value));
            case KEEP_CHARS -> keepChars(hash.digest(value), value,
                    rule.argument() == null ? DEFAULT_KEPT : rule.argument());
        };
    }

    private static String email(byte[] d) {
        return "user-" + HexFormat.of().formatHex(d, 0, 5) + "@example.com";
    }

    private static String name(byte[] d) {
        return FIRST.get(d[0] & 0xF) + " " + LAST.get(d[1] & 0xF) + "-" + HexFormat.of().formatHex(d, 2, 4);
    }

    /** Every digit replaced by one from the digest; '+', spaces, dashes and brackets stay where they were. */
    private static String phone(byte[] d, String value) {
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        for (char c : value.toCharArray()) {
            out.append(Character.isDigit(c) ? (char) ('0' + (d[i++ % d.length] & 0xFF) % 10) : c);
        }
        return out.toString();
    }

    /**
     * Non-ASCII letters and the named characters stay; ASCII letters and digits are replaced (case kept); spaces
     * and other punctuation stay, so the text keeps its shape. Reuses the digest cyclically, mixed with the position.
     */
    private static String keepChars(byte[] d, String value, String kept) {
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        for (int offset = 0; offset < value.length(); ) {
            int cp = value.codePointAt(offset);
            offset += Character.charCount(cp);
            int r = ((d[i % d.length] & 0xFF) + i / d.length * 31) & 0xFF;
            i++;
            if (cp > 127 || kept.indexOf(cp) >= 0) {
                out.appendCodePoint(cp);
            } else if (cp >= 'a' && cp <= 'z') {
                out.append(LETTERS.charAt(r % 26));
            } else if (cp >= 'A' && cp <= 'Z') {
                out.append(Character.toUpperCase(LETTERS.charAt(r % 26)));
            } else if (cp >= '0' && cp <= '9') {
                out.append((char) ('0' + r % 10));
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }
}
