package io.snapci.model.mask;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What a masking rule does to one column's values. */
public enum MaskTransform {
    /** A fixed value (the rule's argument, or "REDACTED"). */
    REDACT,
    /** The value is removed. */
    NULL,
    /** A keyed, deterministic digest: the same input gives the same output everywhere in the copy. */
    HASH,
    /** A realistic e-mail address derived from the hash. */
    EMAIL,
    /** A phone number derived from the hash that keeps the original's format (digits replaced, the rest kept). */
    PHONE,
    /** A realistic name derived from the hash. */
    NAME,
    /**
     * Keeps the characters the rule's argument names (non-ASCII letters and quotes by default) and replaces every
     * other letter and digit by one derived from the hash: the characters that make bugs stay, the words go.
     */
    KEEP_CHARS;

    @JsonCreator
    public static MaskTransform parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown masking transform '" + text
                    + "': use redact, null, hash, email, phone, name or keep-chars");
        }
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
