package io.snapci.model.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the cluster's bundle is found, what a trust is made of, and what a bad CA file is told. (TLS itself:
 * tests' ClusterTrustTlsTest, over real handshakes.) */
class ClusterTrustTest {

    @TempDir
    Path sandbox;

    @Test
    void theBundleIsTheSandboxsSslCaBundleWhenDcosPutOneThere() throws Exception {
        assertThat(ClusterTrust.sandboxBundle(Map.of())).isEmpty();
        assertThat(ClusterTrust.sandboxBundle(Map.of("MESOS_SANDBOX", sandbox.toString()))).isEmpty();
        Files.createDirectories(sandbox.resolve(".ssl"));
        Files.writeString(sandbox.resolve(".ssl/ca.crt"), "old name");
        assertThat(ClusterTrust.sandboxBundle(Map.of("MESOS_SANDBOX", sandbox.toString())))
                .as("before DC/OS 1.10").contains(sandbox.resolve(".ssl/ca.crt"));
        Files.writeString(sandbox.resolve(".ssl/ca-bundle.crt"), "new name");
        assertThat(ClusterTrust.sandboxBundle(Map.of("MESOS_SANDBOX", sandbox.toString())))
                .contains(sandbox.resolve(".ssl/ca-bundle.crt"));
    }

    @Test
    void theBundleAndTheConfiguredCaAreTrustedBesidesTheJdksCas() throws Exception {
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        int jdkCas = ((X509TrustManager) jdk.getTrustManagers()[0]).getAcceptedIssuers().length;
        assertThat(jdkCas).as("the JDK ships CAs").isPositive();
        assertThat(ClusterTrust.jdkDefaults().trustedCaCount()).isEqualTo(jdkCas);
        assertThat(ClusterTrust.jdkDefaults().describe()).isEqualTo("the JDK's CAs");

        Path bundle = certificate("cluster");
        Path configured = certificate("configured");
        ClusterTrust trust = ClusterTrust.of(bundle, configured, "tls.caFile");
        assertThat(trust.trustedCaCount()).isEqualTo(jdkCas + 2);
        assertThat(trust.describe()).isEqualTo("the JDK's CAs, the cluster CA bundle " + bundle + ", tls.caFile "
                + configured);
        assertThat(ClusterTrust.of(bundle, null, "portworx.caFile").trustedCaCount()).isEqualTo(jdkCas + 1);
    }

    private Path certificate(String cn) throws Exception {
        Path store = sandbox.resolve(cn + ".p12");
        Path pem = sandbox.resolve(cn + ".pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", cn, "-keyalg", "RSA", "-keysize", "2048", "-validity", "1",
                "-dname", "CN=" + cn, "-ext", "bc:c", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        run(keytool, "-exportcert", "-rfc", "-alias", cn, "-keystore", store.toString(), "-storepass", "changeit",
                "-file", pem.toString());
        return pem;
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
    }

    @Test
    void aCaFileWithoutACertificateIsRefusedNamingTheSettingAndTheFile() throws Exception {
        Path empty = Files.writeString(sandbox.resolve("empty.pem"), "");
        assertThatThrownBy(() -> ClusterTrust.of(null, empty, "tls.caFile"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tls.caFile")
                .hasMessageContaining(empty.toString()).hasMessageContaining("no PEM certificate");
        Path text = Files.writeString(sandbox.resolve("text.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n"
                + "-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> ClusterTrust.of(null, text, "portworx.caFile"))
                .hasMessageContaining("portworx.caFile").hasMessageContaining(text.toString());
        assertThatThrownBy(() -> ClusterTrust.of(sandbox.resolve("gone.crt"), null, "tls.caFile"))
                .hasMessageContaining("the cluster CA bundle").hasMessageContaining("gone.crt");
    }
}
