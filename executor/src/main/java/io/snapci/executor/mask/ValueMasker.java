package io.snapci.executor.mask;

import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.ListType;
import com.datastax.oss.driver.api.core.type.MapType;
import com.datastax.oss.driver.api.core.type.SetType;
import io.snapci.model.mask.MaskHash;
import io.snapci.model.mask.MaskRule;
import io.snapci.model.mask.MaskTransform;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Masks one value of a CQL type by a rule: text, numbers, uuid, and lists, sets and maps of them. */
public final class ValueMasker {

    private final MaskHash hash;

    public ValueMasker(MaskHash hash) {
        this.hash = hash;
    }

    /** Whether {@code type} is one this masker handles. */
    public static boolean supports(DataType type) {
        if (type instanceof ListType list) {
            return supports(list.getElementType());
        }
        if (type instanceof SetType set) {
            return supports(set.getElementType());
        }
        if (type instanceof MapType map) {
            return supports(map.getKeyType()) && supports(map.getValueType());
        }
        return isText(type) || isNumber(type) || type.equals(DataTypes.UUID);
    }

    public Object mask(MaskRule rule, DataType type, Object value) {
        if (value == null || rule.transform() == MaskTransform.NULL) {
            return null;
        }
        if (type instanceof ListType list) {
            List<Object> out = new ArrayList<>();
            ((List<?>) value).forEach(v -> out.add(mask(rule, list.getElementType(), v)));
            return out;
        }
        if (type instanceof SetType set) {
            Set<Object> out = new LinkedHashSet<>();
            ((Set<?>) value).forEach(v -> out.add(mask(rule, set.getElementType(), v)));
            return out;
        }
        if (type instanceof MapType map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> out.put(mask(rule, map.getKeyType(), k),
                    mask(rule, map.getValueType(), v)));
            return out;
        }
        if (isText(type)) {
            return TextMasks.mask(rule, hash, (String) value);
        }
        if (type.equals(DataTypes.UUID)) {
            return rule.transform() == MaskTransform.REDACT
                    ? new UUID(0, 0) : uuidOf(hash.digest(value.toString()));
        }
        return number(rule, type, value);
    }

    private Object number(MaskRule rule, DataType type, Object value) {
        long n = rule.transform() == MaskTransform.REDACT
                ? (rule.argument() == null ? 0 : Long.parseLong(rule.argument().strip()))
                : ByteBuffer.wrap(hash.digest(value.toString())).getLong() & Long.MAX_VALUE;
        if (type.equals(DataTypes.INT)) {
            return (int) (n % Integer.MAX_VALUE);
        }
        if (type.equals(DataTypes.SMALLINT)) {
            return (short) (n % Short.MAX_VALUE);
        }
        if (type.equals(DataTypes.TINYINT)) {
            return (byte) (n % Byte.MAX_VALUE);
        }
        if (type.equals(DataTypes.VARINT)) {
            return BigInteger.valueOf(n);
        }
        if (type.equals(DataTypes.DECIMAL)) {
            return BigDecimal.valueOf(n % 1_000_000, 2);
        }
        if (type.equals(DataTypes.FLOAT)) {
            return (float) (n % 1_000_000) / 100f;
        }
        if (type.equals(DataTypes.DOUBLE)) {
            return (double) (n % 1_000_000) / 100d;
        }
        return n;
    }

    private static UUID uuidOf(byte[] digest) {
        ByteBuffer b = ByteBuffer.wrap(digest);
        long msb = (b.getLong() & ~0xF000L) | 0x4000L;
        long lsb = (b.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    static boolean isText(DataType type) {
        return type.equals(DataTypes.TEXT) || type.equals(DataTypes.ASCII);
    }

    static boolean isNumber(DataType type) {
        return type.equals(DataTypes.INT) || type.equals(DataTypes.BIGINT) || type.equals(DataTypes.SMALLINT)
                || type.equals(DataTypes.TINYINT) || type.equals(DataTypes.VARINT) || type.equals(DataTypes.DECIMAL)
                || type.equals(DataTypes.FLOAT) || type.equals(DataTypes.DOUBLE) || type.equals(DataTypes.COUNTER);
    }
}
