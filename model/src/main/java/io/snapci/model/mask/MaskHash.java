package io.snapci.model.mask;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The keyed digest every transform derives from (HMAC-SHA256): the same input and key give the same output in every
 * table, so joins by a masked value still work; without the key the originals cannot be guessed by hashing
 * candidates. The key is a secret: never logged, never stored with a run.
 */
public final class MaskHash {

    private final byte[] key;

    public MaskHash(byte[] key) {
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("masking hash key: at least 16 bytes");
        }
        this.key = key.clone();
    }

    /** A fresh random key: one run's copy is consistent in itself, and unlike any other run's. */
    public static MaskHash random() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new MaskHash(key);
    }

    public static MaskHash ofSecret(String secret) {
        return new MaskHash(secret.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] digest(byte[] input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public byte[] digest(String input) {
        return digest(input.getBytes(StandardCharsets.UTF_8));
    }

    public String hex(String input) {
        return HexFormat.of().formatHex(digest(input));
    }

    @Override
    public String toString() {
        return "MaskHash[key hidden]";
    }
}
