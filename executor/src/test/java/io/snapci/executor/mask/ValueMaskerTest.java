package io.snapci.executor.mask;

import com.datastax.oss.driver.api.core.type.DataTypes;
import io.snapci.model.mask.MaskHash;
import io.snapci.model.mask.MaskRule;
import io.snapci.model.mask.MaskTransform;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueMaskerTest {

    private final ValueMasker masker = new ValueMasker(MaskHash.ofSecret("sixteen bytes or more"));

    private static MaskRule rule(MaskTransform transform, String argument) {
        return new MaskRule("k", "t", "c", transform, argument);
    }

    @Test
    void keepCharsKeepsNonAsciiLettersQuotesAndShapeAndReplacesTheRest() {
        String masked = (String) masker.mask(rule(MaskTransform.KEEP_CHARS, null), DataTypes.TEXT,
                "Zoë said \"open mic\" 42!");
        assertEquals("Zoë said \"open mic\" 42!".length(), masked.length());
        assertTrue(masked.contains("ë") && masked.chars().filter(c -> c == '"').count() == 2, masked);
        assertFalse(masked.contains("open") || masked.contains("said") || masked.contains("42"), masked);
        assertTrue(Character.isUpperCase(masked.charAt(0)), masked);
    }

    @Test
    void fakesKeepTheirFormatAndAreDeterministic() {
        String email = (String) masker.mask(rule(MaskTransform.EMAIL, null), DataTypes.TEXT, "ann@corp.org");
        assertTrue(email.matches("user-[0-9a-f]{10}@example\\.com"), email);
        assertEquals(email, masker.mask(rule(MaskTransform.EMAIL, null), DataTypes.TEXT, "ann@corp.org"));
        String phone = (String) masker.mask(rule(MaskTransform.PHONE, null), DataTypes.TEXT, "+44 (20) 7946-0123");
        assertTrue(phone.matches("\\+\\d\\d \\(\\d\\d\\) \\d{4}-\\d{4}"), phone);
        assertNotEquals("+44 (20) 7946-0123", phone);
        String name = (String) masker.mask(rule(MaskTransform.NAME, null), DataTypes.TEXT, "Ann Original");
        assertTrue(name.matches("[A-Z][a-z]+ [A-Z][a-z]+-[0-9a-f]{4}"), name);
    }

    @Test
    void typesOtherThanText() {
        MaskRule hash = rule(MaskTransform.HASH, null);
        Object n = masker.mask(hash, DataTypes.INT, 42);
        assertTrue(n instanceof Integer && (Integer) n >= 0, String.valueOf(n));
        assertEquals(n, masker.mask(hash, DataTypes.INT, 42));
        UUID id = UUID.randomUUID();
        UUID masked = (UUID) masker.mask(hash, DataTypes.UUID, id);
        assertNotEquals(id, masked);
        assertEquals(4, masked.version());
        assertEquals(0L, masker.mask(rule(MaskTransform.REDACT, null), DataTypes.BIGINT, 7L));
        assertNull(masker.mask(rule(MaskTransform.NULL, null), DataTypes.TEXT, "x"));
        assertEquals("REDACTED", masker.mask(rule(MaskTransform.REDACT, null), DataTypes.TEXT, "x"));
        List<?> list = (List<?>) masker.mask(hash, DataTypes.listOf(DataTypes.TEXT), List.of("a", "b"));
        assertEquals(2, list.size());
        assertFalse(list.contains("a"));
        Map<?, ?> map = (Map<?, ?>) masker.mask(hash, DataTypes.mapOf(DataTypes.TEXT, DataTypes.INT), Map.of("a", 1));
        assertFalse(map.containsKey("a"));
        assertFalse(ValueMasker.supports(DataTypes.BLOB));
        assertTrue(ValueMasker.supports(DataTypes.setOf(DataTypes.UUID)));
    }
}
