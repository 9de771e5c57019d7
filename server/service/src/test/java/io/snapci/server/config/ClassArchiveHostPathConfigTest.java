package io.snapci.server.config;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** cassandra.classArchiveHostPath: a directory on the agents, so it must be an absolute, normalised path. */
class ClassArchiveHostPathConfigTest {

    private static ServeConfig mesos(String hostPath) {
        Map<String, String> env = new LinkedHashMap<>(Map.of("SNAPCI_MODE", "mesos", "SNAPCI_MESOS_MASTER",
                "http://m:5050", "SNAPCI_ZK_URL", "zk://z:2181/s", "SNAPCI_MESOS_EXECUTOR_URI", "http://x",
                "SNAPCI_PORTWORX_ENDPOINT", "http://p:9021"));
        if (hostPath != null) {
            env.put("SNAPCI_CASSANDRA_CLASS_ARCHIVE_HOST_PATH", hostPath);
        }
        return ServeConfigLoader.load(null, env, Map.of());
    }

    @Test
    void anAbsolutePathIsTheAgentsDirectoryAndUnsetOrEmptyIsNone() {
        assertThat(mesos("/var/lib/snapci/class-archives").cluster().classArchiveHostPath())
                .isEqualTo("/var/lib/snapci/class-archives");
        assertThat(mesos(null).cluster().classArchiveHostPath()).isNull();
        assertThat(mesos("").cluster().classArchiveHostPath()).as("the package's empty default").isNull();
    }

    @Test
    void aRelativeOrUnnormalisedPathIsRefusedNamingTheSetting() {
        for (String bad : new String[] {"var/lib/snapci", "/var/lib/../snapci", "/var/lib/snapci/"}) {
            assertThatThrownBy(() -> mesos(bad)).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cassandra.classArchiveHostPath").hasMessageContaining("absolute");
        }
    }
}
