package io.snapci.model.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CAs a scheduler's HTTPS clients trust: the JDK's own, the cluster's CA bundle that DC/OS puts into the
 * sandbox in strict mode, and one optional CA file the operator configured. Every client of the scheduler (the
 * Mesos master, the DC/OS login, the agents' files API, Portworx) builds its TLS from here, so they all trust the
 * same way and a refused certificate always says which setting to change.
 *
 * <p>dcos-commons' bootstrap (sdk/bootstrap/main.go, installDCOSCertIntoJRE) imports
 * {@code $MESOS_SANDBOX/.ssl/ca-bundle.crt} (DC/OS 1.10+; {@code .ssl/ca.crt} before) into the JRE's cacerts with
 * keytool; snapci runs no bootstrap and does not write into its JRE, it adds the bundle to its own trust instead.
 */
public final class ClusterTrust {

    /** Where DC/OS 1.10+ puts the cluster CA bundle, relative to the sandbox. */
    public static final String SANDBOX_BUNDLE = ".ssl/ca-bundle.crt";
    /** The same file's name before DC/OS 1.10. */
    static final String OLD_SANDBOX_BUNDLE = ".ssl/ca.crt";

    private static volatile ClusterTrust jdkDefaults;

    private final Path clusterBundle;
    private final Path configuredCa;
    private final String setting;
    private final SSLContext context;
    private int anchorCount;

    private ClusterTrust(Path clusterBundle, Path configuredCa, String setting) {
        this.clusterBundle = clusterBundle;
        this.configuredCa = configuredCa;
        this.setting = setting;
        this.context = buildContext();
    }

    /**
     * @param clusterBundle the sandbox's CA bundle ({@link #sandboxBundle}), or null outside a strict cluster
     * @param configuredCa  a PEM file the operator configured under {@code setting}, or null
     * @param setting       the configuration key a refused certificate's message tells the operator to set
     * @throws IllegalArgumentException a file is missing, unreadable or holds no PEM certificate (named)
     */
    public static ClusterTrust of(Path clusterBundle, Path configuredCa, String setting) {
        return new ClusterTrust(clusterBundle, configuredCa, setting);
    }

    /** Only the JDK's CAs: a client outside a cluster, or a test. */
    public static ClusterTrust jdkDefaults() {
        ClusterTrust trust = jdkDefaults;
        if (trust == null) {
            trust = new ClusterTrust(null, null, "tls.caFile");
            jdkDefaults = trust;
        }
        return trust;
    }

    /** The cluster CA bundle in the sandbox {@code env} names ({@code MESOS_SANDBOX}), when DC/OS put one there. */
    public static Optional<Path> sandboxBundle(Map<String, String> env) {
        String sandbox = env.get("MESOS_SANDBOX");
        if (sandbox == null || sandbox.isBlank()) {
            return Optional.empty();
        }
        for (String name : List.of(SANDBOX_BUNDLE, OLD_SANDBOX_BUNDLE)) {
            Path bundle = Path.of(sandbox).resolve(name);
            if (Files.isRegularFile(bundle)) {
                return Optional.of(bundle);
            }
        }
        return Optional.empty();
    }

    public SSLContext sslContext() {
        return context;
    }

    /** A new HTTP client builder with this trust; the caller adds its version, timeouts and redirects. */
    public HttpClient.Builder httpClientBuilder() {
        return HttpClient.newBuilder().sslContext(context);
    }

    public Optional<Path> clusterBundle() {
        return Optional.ofNullable(clusterBundle);
    }

    public Optional<Path> configuredCa() {
        return Optional.ofNullable(configuredCa);
    }

    /** How many CA certificates are trusted, all sources together. */
    int trustedCaCount() {
        return anchorCount;
    }

    /** What is trusted, for a message: "the JDK's CAs, the cluster CA bundle /x, tls.caFile /y". */
    public String describe() {
        StringBuilder text = new StringBuilder("the JDK's CAs");
        if (clusterBundle != null) {
            text.append(", the cluster CA bundle ").append(clusterBundle);
        }
        if (configuredCa != null) {
            text.append(", ").append(setting).append(' ').append(configuredCa);
        }
        return text.toString();
    }

    private SSLContext buildContext() {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int i = 0;
            for (X509Certificate ca : defaultTrustManager().getAcceptedIssuers()) {
                anchors.setCertificateEntry("jdk-" + i++, ca);
            }
            if (clusterBundle != null) {
                addAll(anchors, clusterBundle, "the cluster CA bundle");
            }
            if (configuredCa != null) {
                addAll(anchors, configuredCa, setting);
            }
            anchorCount = anchors.size();
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            X509ExtendedTrustManager pkix = extended(factory.getTrustManagers());
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {new Explaining(pkix)}, null);
            return ssl;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS trust from " + describe() + ": " + e, e);
        }
    }

    private static void addAll(KeyStore anchors, Path file, String what) throws GeneralSecurityException {
        Collection<? extends Certificate> cas;
        try (InputStream in = Files.newInputStream(file)) {
            cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + e, e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(what + " " + file + " is not a PEM file of CA certificates: "
                    + e.getMessage(), e);
        }
        if (cas.isEmpty()) {
            throw new IllegalArgumentException(what + " " + file + " holds no PEM certificate: give the CA that "
                    + "signed the server's certificate");
        }
        int i = 0;
        for (Certificate ca : cas) {
            anchors.setCertificateEntry(file.getFileName() + "-" + i++, ca);
        }
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return extended(factory.getTrustManagers());
    }

    private static X509ExtendedTrustManager extended(TrustManager[] managers) throws GeneralSecurityException {
        for (TrustManager manager : managers) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JDK offers no X509 trust manager");
    }

    /**
     * The JDK's checks, unchanged; a certificate no trusted CA signed is refused with a message that says what was
     * trusted and which setting adds its CA. The TLS alert carries the message into the handshake exception every
     * HTTP client reports, so each client's own error text names the fix.
     */
    private final class Explaining extends X509ExtendedTrustManager {

        private final X509ExtendedTrustManager pkix;

        Explaining(X509ExtendedTrustManager pkix) {
            this.pkix = pkix;
        }

        private CertificateException explained(CertificateException e, X509Certificate[] chain) {
            if (!unknownCa(e)) {
                return e;  // e.g. a host name the certificate does not cover: another CA would not help
            }
            String issuer = chain != null && chain.length > 0 ? chain[chain.length - 1].getIssuerX500Principal()
                    .getName() : "an unknown issuer";
            return new CertificateException("the server's certificate (issued by " + issuer + ") is not signed by a "
                    + "CA this scheduler trusts (" + describe() + "): set " + setting + " to a PEM file with the CA "
                    + "that signed it (" + e.getMessage() + ")", e);
        }

        private static boolean unknownCa(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                    return true;
                }
            }
            return false;
        }

        /** One of PKIX's server checks, whichever the TLS stack calls. */
        @FunctionalInterface
        private interface ServerCheck {
            void run() throws CertificateException;
        }

        /** Runs a server check, a refusal explained: the three overloads differ only in what PKIX is given. */
        private void checkServer(X509Certificate[] chain, ServerCheck check) throws CertificateException {
            try {
                check.run();
            } catch (CertificateException e) {
                throw explained(e, chain);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServer(chain, () -> pkix.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServer(chain, () -> pkix.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            checkServer(chain, () -> pkix.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            pkix.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            pkix.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pkix.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pkix.getAcceptedIssuers();
        }
    }
}
