package io.snapci.cli.remote;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TomlValuesTest {

    @Test
    void readsTheDcosCliClusterConfigAsDottedKeys() {
        Map<String, String> values = TomlValues.parse("""
                [core]
                dcos_url = "https://dcos.example.com"   # the cluster
                dcos_acs_token = "eyJ.a\\"b.c"
                ssl_verify = "false"
                timeout = 5

                [cluster]
                name = 'prod-east'
                """);
        assertEquals("https://dcos.example.com", values.get("core.dcos_url"));
        assertEquals("eyJ.a\"b.c", values.get("core.dcos_acs_token"));
        assertEquals("false", values.get("core.ssl_verify"));
        assertEquals("5", values.get("core.timeout"));
        assertEquals("prod-east", values.get("cluster.name"));
    }
}
