package io.snapci.scheduler.zookeeper;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZkUrlTest {

    @Test
    void splitsAnEnsembleAndItsRoot() {
        ZkUrl url = ZkUrl.parse("zk://zk-1.example:2181,zk-2.example:2182,10.0.0.3:2181/snapci/state");
        assertThat(url.connectString()).isEqualTo("zk-1.example:2181,zk-2.example:2182,10.0.0.3:2181");
        assertThat(url.root()).isEqualTo("/snapci/state");
        assertThat(url.path("runs")).isEqualTo("/snapci/state/runs");
        assertThat(url).hasToString("zk://zk-1.example:2181,zk-2.example:2182,10.0.0.3:2181/snapci/state");
    }

    @Test
    void theDcosEnsembleParses() {
        assertThat(ZkUrl.parse(ZkUrl.DCOS_EXAMPLE)).isEqualTo(new ZkUrl("master.mesos:2181", "/snapci"));
    }

    @Test
    void aHostWithoutAPortGetsZooKeepersDefault() {
        assertThat(ZkUrl.parse("ZK://zk-1, zk-2:2888/snapci").connectString()).isEqualTo("zk-1:2181,zk-2:2888");
    }

    @Test
    void anIpv6HostKeepsItsBrackets() {
        assertThat(ZkUrl.parse("zk://[::1]:2181,[fd00::2]/snapci").connectString())
                .isEqualTo("[::1]:2181,[fd00::2]:2181");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "http://zk-1:2181/snapci            | it must start with zk://",
            "zk-1:2181/snapci                   | it must start with zk://",
            "''                                 | it is empty",
            "zk:///snapci                       | it names no host",
            "zk://zk-1:2181,,zk-2:2181/snapci   | it names no host between two commas",
            "zk://zk-1:99999/snapci             | '99999' in 'zk-1:99999' is not a port",
            "zk://zk-1:0/snapci                 | '0' in 'zk-1:0' is not a port",
            "zk://zk-1:abc/snapci               | 'abc' in 'zk-1:abc' is not a port",
            "zk://zk-1:/snapci                  | '' in 'zk-1:' is not a port",
            "zk://:2181/snapci                  | '' in ':2181' is not a host name or address",
            "zk://zk 1:2181/snapci              | 'zk 1' in 'zk 1:2181' is not a host name or address",
            "zk://[::1:2181/snapci              | has no closing ]",
            "zk://user:secret@zk-1:2181/snapci  | credentials in the URL are not supported",
            "zk://zk-1:2181                     | it has no znode root after the hosts",
            "zk://zk-1:2181/                    | it has no znode root after the hosts",
            "zk://zk-1:2181/snapci/             | the znode root /snapci/ ends with /",
            "zk://zk-1:2181/snapci//state       | the znode root /snapci//state is not a valid znode path",
            "zk://zk-1:2181/snapci/../mesos     | the znode root /snapci/../mesos is not a valid znode path",
    })
    void aMalformedUrlSaysWhatIsWrongAndWhatAValidOneLooksLike(String url, String why) {
        assertThatThrownBy(() -> ZkUrl.parse(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a ZooKeeper URL: '" + url + "'")
                .hasMessageContaining(why)
                .hasMessageContaining("a valid one looks like zk://host1:2181,host2:2181/snapci/state")
                .hasMessageContaining("on DC/OS: zk://master.mesos:2181/snapci");
    }

    @Test
    void aUrlBuiltInCodeNeedsAValidRootToo() {
        assertThatThrownBy(() -> new ZkUrl("zk-1:2181", "/")).hasMessageContaining("absolute path below /");
        assertThatThrownBy(() -> new ZkUrl("zk-1:2181", "snapci")).hasMessageContaining("absolute path below /");
        assertThatThrownBy(() -> new ZkUrl(" ", "/snapci")).hasMessageContaining("connect string is required");
    }
}
