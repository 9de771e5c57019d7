package io.snapci.server.mesos;

import io.snapci.model.RunSpec;
import io.snapci.model.Source;
import io.snapci.model.mask.MaskRules;
import io.snapci.server.ApiProblem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What a run on the cluster may ask for: one volume or a cluster of volumes as its source (directories not; a
 * cluster's maxAge reuses a scheduled cut of exactly its volumes), masked or not (its cassandra task masks the copy).
 */
class ClusterSpecRulesTest {

    private static RunSpec on(Source source) {
        return new RunSpec(source, "mvn test", "maven:3", null, Map.of(), null, null, null, Map.of());
    }

    private static RunSpec masked(MaskRules mask) {
        return new RunSpec(Source.volume("prod"), "mvn test", "maven:3", null, Map.of(), null, null, null, Map.of(),
                mask);
    }

    private static ApiProblem refusal(RunSpec spec) {
        return catchThrowableOfType(() -> new ClusterSpecRules().check(spec), ApiProblem.class);
    }

    @Test
    void volumesAndClustersOfVolumesAreFineDirectoriesAreRefusedNamingTheField() {
        assertThatCode(() -> new ClusterSpecRules().check(on(Source.volume("cassandra-prod"))))
                .doesNotThrowAnyException();
        assertThatCode(() -> new ClusterSpecRules().check(on(Source.volumes(List.of("c-0", "c-1", "c-2")))))
                .doesNotThrowAnyException();
        assertThatCode(() -> new ClusterSpecRules().check(on(Source.volumesSelector("app=cassandra"))))
                .doesNotThrowAnyException();
        assertThat(refusal(on(Source.dataDirs(List.of("/n1", "/n2")))).body().field()).isEqualTo("source.dataDirs");
    }

    @Test
    void aClusterOfVolumesMayHaveAMaxAgeAScheduledCutOfExactlyThoseVolumesIsThenReused() {
        assertThatCode(() -> new ClusterSpecRules().check(on(new Source(null, null, java.time.Duration.ofHours(1),
                null, List.of("c-0", "c-1"), null)))).doesNotThrowAnyException();
        assertThatCode(() -> new ClusterSpecRules().check(on(new Source(null, null, java.time.Duration.ofHours(1),
                null, null, "app=cassandra")))).doesNotThrowAnyException();
        assertThat(refusal(on(Source.dataDirs(List.of("/n1", "/n2")))).body().field())
                .as("directories stay refused, maxAge or not").isEqualTo("source.dataDirs");
    }

    @Test
    void aMaskedRunIsAccepted() {
        assertThatCode(() -> new ClusterSpecRules().check(masked(MaskRules.parse("a.b.c: hash"))))
                .doesNotThrowAnyException();
        assertThatCode(() -> new ClusterSpecRules().check(masked(null))).doesNotThrowAnyException();
    }
}
