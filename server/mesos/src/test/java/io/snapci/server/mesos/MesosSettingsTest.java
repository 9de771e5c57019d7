package io.snapci.server.mesos;

import io.snapci.scheduler.mesos.launch.MesosLaunchConfig;
import io.snapci.server.config.ClusterConfig;
import io.snapci.server.config.ServeConfigLoader;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** serve's configuration as the Mesos adapter's settings: every value from the one table of settings. */
class MesosSettingsTest {

    private static ClusterConfig cluster(Map<String, String> more) {
        Map<String, String> flags = new LinkedHashMap<>(Map.of("mode", "mesos", "mesos.master", "http://leader.mesos:5050",
                "zk.url", "zk://zk-1.zk:2181/snapci", "portworx.endpoint", "http://127.0.0.1:9021",
                "mesos.executorUri", "http://snapci.example/executor.tar.gz"));
        flags.putAll(more);
        return ServeConfigLoader.load(null, Map.of(), flags).cluster();
    }

    @Test
    void thePackagesDefaultsSizeTheTaskGroup() {
        MesosLaunchConfig launch = MesosSettings.launch(cluster(Map.of()));
        assertThat(launch.cassandraImage()).isEqualTo("cassandra:5.0");
        assertThat(launch.cassandraTaskUser()).isEqualTo("root");
        assertThat(launch.volumeDriver()).isEqualTo("pxd");
        assertThat(launch.executorDiskMb()).as("two tasks unpack the 65 MB bundle into the sandbox").isEqualTo(512);
        assertThat(MesosSettings.framework(cluster(Map.of())).failoverTimeout().toDays()).isEqualTo(7);
    }

    @Test
    void inStrictModeThePrincipalIsTheServiceAccountsUidWhateverMesosPrincipalSays() {
        String secret = "{\"uid\":\"snapci-sa\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nx\\n-----END PRIVATE KEY-----\","
                + "\"login_endpoint\":\"https://leader.mesos/acs/api/v1/auth/login\"}";
        assertThat(MesosSettings.framework(cluster(Map.of("mesos.principal", "snapci",
                "mesos.serviceAccountCredential", secret))).principal()).isEqualTo("snapci-sa");
        assertThat(MesosSettings.framework(cluster(Map.of("mesos.principal", "ops"))).principal()).isEqualTo("ops");
    }
}
