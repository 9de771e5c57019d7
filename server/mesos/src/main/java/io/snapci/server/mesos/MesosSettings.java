package io.snapci.server.mesos;

import io.snapci.scheduler.mesos.MesosFramework;
import io.snapci.scheduler.mesos.MesosMode;
import io.snapci.scheduler.mesos.launch.MesosLaunchConfig;
import io.snapci.scheduler.mesos.launch.MesosLauncher;
import io.snapci.scheduler.mesos.offer.OfferEvaluatorConfig;
import io.snapci.scheduler.mesos.transport.MesosClientConfig;
import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.model.Json;
import io.snapci.model.tls.ClusterTrust;
import io.snapci.scheduler.mesos.transport.Authenticator;
import io.snapci.scheduler.mesos.transport.DcosServiceAccount;
import io.snapci.scheduler.portworx.CiTier;
import io.snapci.scheduler.portworx.PortworxConfig;
import io.snapci.scheduler.portworx.sdk.SdkConfig;
import io.snapci.server.config.ClusterConfig;
import io.snapci.server.config.ConfigException;
import io.snapci.server.config.ConfigKey;
import io.snapci.server.config.ServeConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * serve's configuration, as the Mesos adapter's own settings: one translation, so every value (and every default)
 * comes from the configuration table, and the tests that build a scheduler from the same table get the same values
 * the package's defaults give.
 */
public final class MesosSettings {

    private MesosSettings() {
    }

    public static MesosLaunchConfig launch(ClusterConfig cluster) {
        return new MesosLaunchConfig(cluster.cassandraImage(), cluster.cassandraTaskUser(), cluster.volumeDriver(),
                Map.of(), cluster.cassandraCpus(), cluster.cassandraMemMb(), cluster.testsCpus(), cluster.testsMemMb(),
                cluster.executorCpus(), cluster.executorMemMb(), cluster.executorDiskMb(), cluster.executorUri(),
                cluster.role(), cluster.maskingHashKeySecret(), cluster.classArchiveHostPath());
    }

    public static OfferEvaluatorConfig offers(ClusterConfig cluster) {
        return OfferEvaluatorConfig.forLaunch(launch(cluster), cluster.requiredAttributes(), List.of(),
                OfferEvaluatorConfig.DEFAULT_MAINTENANCE_HORIZON);
    }

    public static MesosFramework.Settings framework(ClusterConfig cluster) {
        return new MesosFramework.Settings(cluster.frameworkName(), cluster.role(), principal(cluster),
                cluster.user(), cluster.failoverTimeout());
    }

    /**
     * The framework's principal: in strict mode the service account's uid, whatever mesos.principal says — the
     * master refuses a SUBSCRIBE whose FrameworkInfo.principal is not the authenticated one (src/master/master.cpp:
     * "Authenticated principal '...' does not match principal '...' set in `FrameworkInfo`").
     */
    static String principal(ClusterConfig cluster) {
        if (cluster.serviceAccountCredential() == null) {
            return cluster.principal();
        }
        try {
            String uid = Json.mapper().readTree(cluster.serviceAccountCredential()).path("uid").asText("");
            return uid.isEmpty() ? cluster.principal() : uid;
        } catch (IOException e) {
            return cluster.principal();  // authenticator() reports the malformed secret
        }
    }

    public static MesosMode.Settings mode(ServeConfig config) {
        ClusterConfig cluster = config.cluster();
        return new MesosMode.Settings(framework(cluster),
                MesosClientConfig.forMaster(config.mesosMaster()).withTrust(trust(cluster)),
                launch(cluster), MesosLauncher.Timing.standard(cluster.maxAttempts(), cluster.launchTimeout()), MesosMode.Settings.TICK,
                MesosMode.Settings.IMPLICIT_RECONCILIATION);
    }

    public static PortworxConfig portworx(ClusterConfig cluster) {
        SdkConfig sdk = SdkConfig.of(URI.create(cluster.portworxEndpoint()));
        if (cluster.portworxToken() != null) {
            sdk = sdk.withToken(cluster.portworxToken());
        }
        if (cluster.portworxCaFile() != null) {
            sdk = sdk.withCaCertificate(Path.of(cluster.portworxCaFile()));
        }
        sdk = sdk.withClusterCaBundle(cluster.clusterCaBundle());
        if (cluster.portworxVolumeApi() != null) {
            sdk = sdk.withVolumeApi(URI.create(cluster.portworxVolumeApi()));
        }
        try {
            return PortworxConfig.of(sdk).withTier(new CiTier(cluster.cloneCos(), null, cluster.ciNodeLabels(),
                    cluster.ciPoolLabels())).withGcGrace(cluster.gcGrace());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("portworx settings: " + e.getMessage(), e);
        }
    }

    /**
     * The CAs the master, the agents and the DC/OS login are trusted with: the JDK's, the cluster's bundle in the
     * sandbox, and tls.caFile. (Portworx has its own setting, portworx.caFile, with the same bundle: see
     * {@link #portworx}.)
     */
    public static ClusterTrust trust(ClusterConfig cluster) {
        try {
            return ClusterTrust.of(cluster.clusterCaBundle(),
                    cluster.tlsCaFile() == null ? null : Path.of(cluster.tlsCaFile()), ConfigKey.TLS_CA_FILE.key());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigKey.TLS_CA_FILE.key() + ": " + e.getMessage(), e);
        }
    }

    /** An HTTP client for the DC/OS login and the agents' files API, trusting {@link #trust}. */
    public static HttpClient httpClient(ClusterConfig cluster) {
        return trust(cluster).httpClientBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** DC/OS strict mode's service account secret ({@code dcos security secrets create-sa-secret}), else none. */
    public static Authenticator authenticator(ClusterConfig cluster, Clock clock) {
        if (cluster.serviceAccountCredential() == null) {
            return Authenticator.none();
        }
        try {
            JsonNode secret = Json.mapper().readTree(cluster.serviceAccountCredential());
            String uid = secret.path("uid").asText("");
            String key = secret.path("private_key").asText("");
            String login = secret.path("login_endpoint").asText("");
            if (uid.isEmpty() || key.isEmpty() || login.isEmpty()) {
                throw new ConfigException("mesos.serviceAccountCredential must be the JSON DC/OS stores for a service"
                        + " account: {\"uid\", \"private_key\", \"login_endpoint\"}; one of them is missing");
            }
            return new DcosServiceAccount(URI.create(login), uid, key, clock, httpClient(cluster));
        } catch (IOException e) {
            throw new ConfigException("mesos.serviceAccountCredential is not JSON (the value is not shown)", e);
        }
    }
}
