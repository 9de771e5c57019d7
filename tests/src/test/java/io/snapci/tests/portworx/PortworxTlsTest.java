package io.snapci.tests.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.portworx.PortworxConfig;
import io.snapci.scheduler.portworx.PortworxDriver;
import io.snapci.scheduler.portworx.sdk.RetryPolicy;
import io.snapci.scheduler.portworx.sdk.SdkConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Portworx secured with TLS under its own CA (the SDK's --tls cert and key): the driver trusts exactly the CA
 * it is given. The server certificate is made here with the JDK's keytool, for 127.0.0.1, self-signed (it is its
 * own CA).
 */
class PortworxTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    private static SSLContext serverTls;
    private static Path caPem;

    @BeforeAll
    static void makeCertificate() throws Exception {
        Path keystore = dir.resolve("portworx.p12");
        caPem = dir.resolve("portworx-ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "portworx", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        run(keytool, "-exportcert", "-rfc", "-alias", "portworx", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-file", caPem.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
    }

    private static PortworxDriver driver(SdkConfig sdk) {
        return new PortworxDriver(PortworxConfig.of(sdk.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withRetry(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(5)))), Clock.systemUTC());
    }

    @Test
    void withItsCaConfiguredTheDriverClonesOverTls() throws Exception {
        try (OpenStorageSdkPeer portworx = new OpenStorageSdkPeer(Clock.systemUTC(), serverTls)) {
            portworx.addVolume("cassandra-prod", Map.of(), 10L << 30);
            assertThat(portworx.endpoint().getScheme()).isEqualTo("https");
            PortworxDriver driver = driver(SdkConfig.of(portworx.endpoint()).withCaCertificate(caPem));

            Clone clone = driver.createClone("r-tls-1", Source.volume("cassandra-prod"));
            assertThat(clone.volumeName()).isEqualTo("snapci-r-tls-1");
            driver.deleteClone(clone);
            assertThat(driver.listClones()).isEmpty();
        }
    }

    @Test
    void withoutTheCaTheServerIsNotTrustedAndTheErrorSaysWhatToConfigure() throws Exception {
        try (OpenStorageSdkPeer portworx = new OpenStorageSdkPeer(Clock.systemUTC(), serverTls)) {
            portworx.addVolume("cassandra-prod", Map.of(), 10L << 30);
            PortworxDriver driver = driver(SdkConfig.of(portworx.endpoint()));

            assertThatThrownBy(() -> driver.createClone("r-tls-2", Source.volume("cassandra-prod")))
                    .isInstanceOf(StorageException.class).hasMessageContaining(portworx.endpoint().getHost())
                    .hasMessageContaining("does not trust").hasMessageContaining("portworx.caFile");
            assertThat(portworx.volumeIds()).hasSize(1);
        }
    }
}
