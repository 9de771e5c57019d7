package io.snapci.tests.support;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate authority made for one test with the JDK's keytool: its certificate as PEM (what DC/OS puts in
 * {@code $MESOS_SANDBOX/.ssl/ca-bundle.crt}), and servers' TLS contexts whose certificates it signed, for
 * {@code 127.0.0.1}. No library beyond the JDK: keytool generates, signs and stores; the JDK loads the PKCS12.
 */
public final class TestCa {

    private static final String PASS = "changeit";

    private final Path dir;
    private final Path caStore;
    private final Path caPem;
    private int servers;

    private TestCa(Path dir) {
        this.dir = dir;
        this.caStore = dir.resolve("ca.p12");
        this.caPem = dir.resolve("ca.pem");
    }

    /** A new CA named {@code cn} (a basic-constraints CA certificate), its files under {@code dir}. */
    public static TestCa create(Path dir, String cn) throws Exception {
        Files.createDirectories(dir);
        TestCa ca = new TestCa(dir);
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + cn, "-ext", "bc:c", "-keystore", ca.caStore.toString(), "-storetype", "PKCS12",
                "-storepass", PASS, "-keypass", PASS);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.caStore.toString(), "-storepass", PASS,
                "-file", ca.caPem.toString());
        return ca;
    }

    /** The CA's certificate, PEM. */
    public Path certificatePem() {
        return caPem;
    }

    /** A server's TLS: a new key for 127.0.0.1 whose certificate this CA signed, sent with the CA's in the chain. */
    public SSLContext serverContext() throws Exception {
        int n = ++servers;
        Path store = dir.resolve("server-" + n + ".p12");
        Path csr = dir.resolve("server-" + n + ".csr");
        Path crt = dir.resolve("server-" + n + ".crt");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASS, "-keypass", PASS);
        keytool("-certreq", "-alias", "server", "-keystore", store.toString(), "-storepass", PASS,
                "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASS,
                "-infile", csr.toString(), "-outfile", crt.toString(), "-validity", "2",
                "-ext", "SAN=ip:127.0.0.1", "-ext", "EKU=serverAuth");
        // The CA first, so keytool can build the chain when the signed certificate replaces the self-signed one.
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", store.toString(),
                "-storepass", PASS);
        keytool("-importcert", "-alias", "server", "-file", crt.toString(), "-keystore", store.toString(),
                "-storepass", PASS);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASS.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASS.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
