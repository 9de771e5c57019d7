package io.snapci.cli.remote;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * Applies an endpoint's TLS trust to each HTTPS connection (never JVM-wide): the JVM's CAs by default, the cluster's
 * CA bundle when one is given (DC/OS passes {@code DCOS_TLS_CA_PATH}), or no checks at all when the cluster was set
 * up insecure ({@code DCOS_TLS_INSECURE=1}), as the dcos CLI itself then does.
 */
final class TlsTrust {

    private final SSLSocketFactory sockets;
    private final boolean anyHost;

    private TlsTrust(SSLSocketFactory sockets, boolean anyHost) {
        this.sockets = sockets;
        this.anyHost = anyHost;
    }

    static TlsTrust of(ServiceEndpoint endpoint) {
        try {
            if (endpoint.insecureTls()) {
                return new TlsTrust(context(new TrustManager[]{new TrustEverything()}).getSocketFactory(), true);
            }
            if (endpoint.caFile() != null) {
                return new TlsTrust(context(fromPem(endpoint)).getSocketFactory(), false);
            }
            return new TlsTrust(null, false);
        } catch (IOException | GeneralSecurityException e) {
            throw ApiFailure.noAnswer("cannot use the CA certificates in "
                    + endpoint.caFile() + ": " + e.getMessage(), "give a PEM file of the cluster's CA certificate");
        }
    }

    void apply(HttpURLConnection connection) {
        if (connection instanceof HttpsURLConnection https) {
            if (sockets != null) {
                https.setSSLSocketFactory(sockets);
            }
            if (anyHost) {
                https.setHostnameVerifier((host, session) -> true);
            }
        }
    }

    private static SSLContext context(TrustManager[] trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust, null);
        return context;
    }

    private static TrustManager[] fromPem(ServiceEndpoint endpoint) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(endpoint.caFile())) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in the file");
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    /** What "insecure" means: encryption without authentication of the server. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
