package io.snapci.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CassandraSettingsFastStartTest {

    @Test
    void theFastStartIsOnUnlessARunSaysOff() throws Exception {
        assertThat(CassandraSettings.defaults().fastStart()).isTrue();
        assertThat(Json.mapper().readValue("{\"heap\": \"512m\"}", CassandraSettings.class).fastStart()).isTrue();
        assertThat(Json.mapper().readValue("{\"fastStart\": false}", CassandraSettings.class).fastStart()).isFalse();
        assertThat(new CassandraSettings("1g", null, null, null, null, 9042).fastStart()).isTrue();
    }

    @Test
    void offSurvivesTheTripThroughJsonThatRunsAndClusterTasksTake() throws Exception {
        CassandraSettings off = CassandraSettings.defaults().withFastStart(false);
        String json = Json.mapper().writeValueAsString(off);
        assertThat(Json.mapper().readValue(json, CassandraSettings.class)).isEqualTo(off);
    }
}
