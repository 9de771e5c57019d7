package io.snapci.tests.tls;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.snapci.scheduler.mesos.sandbox.AgentFiles;
import io.snapci.scheduler.mesos.transport.Authenticator;
import io.snapci.scheduler.mesos.transport.MesosSchedulerClient;
import io.snapci.scheduler.mesos.transport.SchedulerEventHandler;
import io.snapci.scheduler.portworx.PortworxDriver;
import io.snapci.server.config.ConfigException;
import io.snapci.server.config.ServeConfig;
import io.snapci.server.config.ServeConfigLoader;
import io.snapci.server.mesos.MesosSettings;
import io.snapci.tests.portworx.OpenStorageSdkPeer;
import io.snapci.tests.support.TestCa;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DC/OS strict mode over real TLS on loopback: the scheduler's clients, built from serve's configuration exactly as
 * in a cluster, trust a server whose certificate the cluster's CA signed when that CA's bundle is in
 * {@code $MESOS_SANDBOX/.ssl/ca-bundle.crt}; they refuse one signed by another CA with a message naming the setting
 * that would add it, and trust it once that setting names its CA. Every client: the DC/OS service-account login, a
 * Mesos SUBSCRIBE and a call, the agent's files API, and the Portworx SDK.
 */
class ClusterTrustTlsTest {

    @TempDir
    static Path dir;
    private static TestCa clusterCa;
    private static TestCa otherCa;
    private static SSLContext clusterSigned;
    private static SSLContext otherSigned;
    private static Path sandbox;
    private static String serviceAccountKey;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void makeCas() throws Exception {
        clusterCa = TestCa.create(dir.resolve("cluster-ca"), "snapci test cluster CA");
        otherCa = TestCa.create(dir.resolve("other-ca"), "some other CA");
        clusterSigned = clusterCa.serverContext();
        otherSigned = otherCa.serverContext();
        sandbox = dir.resolve("sandbox");
        Files.createDirectories(sandbox.resolve(".ssl"));
        Files.copy(clusterCa.certificatePem(), sandbox.resolve(".ssl/ca-bundle.crt"));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        serviceAccountKey = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(rsa.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void everyClientTrustsAServerTheSandboxBundlesCaSigned() throws Exception {
        DcosLikeServer server = start(new DcosLikeServer(clusterSigned));
        OpenStorageSdkPeer portworx = startPortworx(clusterSigned);
        ServeConfig config = config(server, portworx, Map.of());

        Authenticator auth = MesosSettings.authenticator(config.cluster(), Clock.systemUTC());
        assertThat(auth.authorizationHeader()).contains("token=" + DcosLikeServer.TOKEN);

        Handler handler = new Handler();
        MesosSchedulerClient client = startClient(config, auth, handler);
        assertThat(handler.subscribed.await(20, TimeUnit.SECONDS)).as("subscribed; lost: " + handler.lost).isTrue();
        client.send(client.calls().reviveAll());
        assertThat(server.calls).extracting(c -> c.call().getType()).containsExactly(Call.Type.SUBSCRIBE,
                Call.Type.REVIVE);
        assertThat(server.calls).allSatisfy(c -> assertThat(c.authorization()).isEqualTo("token=" + DcosLikeServer.TOKEN));

        AgentFiles files = agentFiles(config, auth);
        assertThat(files.read(server.uri(), "/frameworks/f/executors/e/runs/latest/stdout", 1000))
                .contains(DcosLikeServer.FILE);

        PortworxDriver driver = portworxDriver(config);
        assertThat(driver.listClones()).isEmpty();
        assertThat(portworx.requestCount()).isPositive();
    }

    @Test
    void aServerSignedByAnotherCaIsRefusedWithTheSettingToFixNamed() throws Exception {
        DcosLikeServer server = start(new DcosLikeServer(otherSigned));
        ServeConfig config = config(server, startPortworx(otherSigned), Map.of());

        Authenticator auth = MesosSettings.authenticator(config.cluster(), Clock.systemUTC());
        assertThatThrownBy(auth::authorizationHeader).isInstanceOf(IOException.class)
                .hasMessageContaining("not signed by a CA this scheduler trusts")
                .hasMessageContaining("cluster CA bundle " + sandbox.resolve(".ssl/ca-bundle.crt"))
                .hasMessageContaining("set tls.caFile");

        Handler handler = new Handler();
        startClient(config, Authenticator.none(), handler);
        String lost = handler.lost.poll(20, TimeUnit.SECONDS);
        assertThat(lost).contains("not signed by a CA this scheduler trusts").contains("set tls.caFile");
        assertThat(handler.subscribed.getCount()).isOne();

        AgentFiles files = agentFiles(config, Authenticator.none());
        assertThatThrownBy(() -> files.read(server.uri(), "/frameworks/f/executors/e/runs/latest/stdout", 1000))
                .hasMessageContaining("set tls.caFile");

        PortworxDriver driver = portworxDriver(config);
        assertThatThrownBy(driver::listClones).hasMessageContaining("does not trust")
                .hasMessageContaining("set portworx.caFile");
        assertThat(server.calls).as("no request got through").isEmpty();
    }

    @Test
    void theConfiguredCasAreTrustedBesidesTheClusterBundle() throws Exception {
        DcosLikeServer server = start(new DcosLikeServer(otherSigned));
        ServeConfig config = config(server, startPortworx(otherSigned), Map.of(
                "SNAPCI_TLS_CA_FILE", otherCa.certificatePem().toString(),
                "SNAPCI_PORTWORX_CA_FILE", otherCa.certificatePem().toString()));

        Authenticator auth = MesosSettings.authenticator(config.cluster(), Clock.systemUTC());
        assertThat(auth.authorizationHeader()).contains("token=" + DcosLikeServer.TOKEN);
        AgentFiles files = agentFiles(config, auth);
        assertThat(files.read(server.uri(), "/x/stdout", 1000)).contains(DcosLikeServer.FILE);
        PortworxDriver driver = portworxDriver(config);
        assertThat(driver.listClones()).isEmpty();

        // The cluster's CA is still trusted with tls.caFile set: both, not one instead of the other.
        DcosLikeServer byCluster = start(new DcosLikeServer(clusterSigned));
        assertThat(files.read(byCluster.uri(), "/x/stdout", 1000)).contains(DcosLikeServer.FILE);
    }

    @Test
    void aConfiguredCaFileThatIsNotThereStopsServeNamingTheSetting() throws Exception {
        DcosLikeServer server = start(new DcosLikeServer(clusterSigned));
        ServeConfig config = config(server, startPortworx(clusterSigned),
                Map.of("SNAPCI_TLS_CA_FILE", dir.resolve("nowhere.pem").toString()));
        assertThatThrownBy(() -> MesosSettings.mode(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls.caFile").hasMessageContaining("nowhere.pem");
    }

    private ServeConfig config(DcosLikeServer server, OpenStorageSdkPeer portworx, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put("MESOS_SANDBOX", sandbox.toString());
        env.put("SNAPCI_MODE", "mesos");
        env.put("SNAPCI_MESOS_MASTER", server.uri().toString());
        env.put("SNAPCI_ZK_URL", "zk://127.0.0.1:1/snapci");
        env.put("SNAPCI_MESOS_EXECUTOR_URI", "https://127.0.0.1/executor.tar.gz");
        env.put("SNAPCI_PORTWORX_ENDPOINT", portworx.endpoint().toString());
        env.put("SNAPCI_MESOS_SERVICE_ACCOUNT_CREDENTIAL", "{\"uid\": \"snapci-principal\", \"private_key\": "
                + io.snapci.model.Json.mapper().valueToTree(serviceAccountKey) + ", \"login_endpoint\": \""
                + server.uri().resolve("/acs/api/v1/auth/login") + "\"}");
        return ServeConfigLoader.load(null, env, Map.of());
    }

    private OpenStorageSdkPeer startPortworx(SSLContext signed) throws IOException {
        return start(new OpenStorageSdkPeer(Clock.systemUTC(), signed));
    }

    /** The scheduler's Mesos client as serve builds it from {@code config}, started; closed after the test. */
    private MesosSchedulerClient startClient(ServeConfig config, Authenticator auth, Handler handler) {
        MesosSchedulerClient client = new MesosSchedulerClient(MesosSettings.mode(config).client(),
                ClusterTrustTlsTest::frameworkInfo, auth, handler);
        open.add(client::close);
        client.start();
        return client;
    }

    /** The agents' sandbox reader as serve builds it from {@code config}. */
    private static AgentFiles agentFiles(ServeConfig config, Authenticator auth) {
        return new AgentFiles(MesosSettings.httpClient(config.cluster()), auth, java.time.Duration.ofSeconds(10));
    }

    /** The Portworx driver as serve builds it from {@code config}. */
    private static PortworxDriver portworxDriver(ServeConfig config) {
        return new PortworxDriver(MesosSettings.portworx(config.cluster()), Clock.systemUTC());
    }

    private static FrameworkInfo frameworkInfo() {
        return FrameworkInfo.newBuilder().setName("snapci").setUser("nobody").setPrincipal("snapci-principal")
                .build();
    }

    private <T extends AutoCloseable> T start(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** What the client hears. */
    private static final class Handler implements SchedulerEventHandler {
        final CountDownLatch subscribed = new CountDownLatch(1);
        final BlockingQueue<String> lost = new LinkedBlockingQueue<>();

        @Override
        public void onSubscribed(Event.Subscribed s) {
            subscribed.countDown();
        }

        @Override
        public void onDisconnected(String reason) {
            lost.add(reason);
        }

        @Override
        public void onError(String message) {
            lost.add("ERROR " + message);
        }
    }

    /**
     * The https endpoints of a strict cluster the scheduler uses, on one loopback port: the IAM login
     * ({@code /acs/api/v1/auth/login}), a master's scheduler API (SUBSCRIBE answered with SUBSCRIBED and a stream
     * that stays open, other calls with 202), and an agent's {@code /files/read}.
     */
    private static final class DcosLikeServer implements AutoCloseable {
        static final String TOKEN = "iam-token-1";
        static final String FILE = "hello from the sandbox";

        record Received(Call call, String authorization) {
        }

        final List<Received> calls = new CopyOnWriteArrayList<>();
        private final HttpsServer https;
        private final CountDownLatch closing = new CountDownLatch(1);

        DcosLikeServer(SSLContext tls) throws IOException {
            https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            https.setExecutor(Executors.newCachedThreadPool());
            https.createContext("/acs/api/v1/auth/login", e -> answer(e, 200, "{\"token\": \"" + TOKEN + "\"}"));
            https.createContext("/files/read", e -> answer(e, 200, Jsons.data(FILE)));
            https.createContext("/api/v1/scheduler", this::scheduler);
            https.start();
        }

        URI uri() {
            return URI.create("https://127.0.0.1:" + https.getAddress().getPort());
        }

        private void scheduler(HttpExchange e) throws IOException {
            Call call = Call.parseFrom(e.getRequestBody().readAllBytes());
            calls.add(new Received(call, e.getRequestHeaders().getFirst("Authorization")));
            if (call.getType() != Call.Type.SUBSCRIBE) {
                e.sendResponseHeaders(202, -1);
                e.close();
                return;
            }
            e.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            e.getResponseHeaders().add("Mesos-Stream-Id", "stream-1");
            e.sendResponseHeaders(200, 0);
            OutputStream out = e.getResponseBody();
            byte[] event = Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed
                    .newBuilder().setFrameworkId(FrameworkID.newBuilder().setValue("fw-tls"))
                    .setHeartbeatIntervalSeconds(15)).build().toByteArray();
            out.write((event.length + "\n").getBytes(StandardCharsets.US_ASCII));
            out.write(event);
            out.flush();
            try {
                closing.await(30, TimeUnit.SECONDS);  // the stream stays open, as a master's does
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            e.close();
        }

        private static void answer(HttpExchange e, int status, String body) throws IOException {
            e.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            e.getResponseHeaders().add("Content-Type", "application/json");
            e.sendResponseHeaders(status, bytes.length);
            e.getResponseBody().write(bytes);
            e.close();
        }

        @Override
        public void close() {
            closing.countDown();
            https.stop(0);
        }
    }

    /** The files API's answer for a file shorter than a page. */
    private static final class Jsons {
        static String data(String text) {
            return "{\"data\": " + io.snapci.model.Json.mapper().valueToTree(text) + ", \"offset\": 0}";
        }
    }
}
