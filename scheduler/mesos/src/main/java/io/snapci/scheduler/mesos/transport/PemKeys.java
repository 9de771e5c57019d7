package io.snapci.scheduler.mesos.transport;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads an unencrypted PKCS#8 RSA private key ({@code -----BEGIN PRIVATE KEY-----}) with the JDK alone, which is the
 * format DC/OS service-account key pairs come in. Other PEM types get an error that says how to convert them, rather
 * than a bare {@code InvalidKeySpecException}.
 */
final class PemKeys {

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private PemKeys() {
    }

    static PrivateKey rsaPrivateKey(String pem) {
        String text = pem.strip();
        if (text.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalArgumentException("private key is PKCS#1 (BEGIN RSA PRIVATE KEY); convert it to PKCS#8 "
                    + "with 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem'");
        }
        if (text.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException(
                    "encrypted private keys are not supported; provide an unencrypted PKCS#8 key");
        }
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("not a PEM private key: expected '" + BEGIN + "' ... '" + END + "'");
        }
        String base64 = text.substring(begin + BEGIN.length(), end);
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the RSA private key: " + e.getMessage(), e);
        }
    }
}
