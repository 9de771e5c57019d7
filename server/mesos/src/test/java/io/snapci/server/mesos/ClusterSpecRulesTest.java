package io.snapci.server.mesos;

import io.snapci.model.RunSpec;
import io.snapci.model.Source;
import io.snapci.model.mask.MaskRules;
import io.snapci.server.ApiProblem;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A cluster serve refuses a masked run (its tests task does not mask yet) instead of testing an unmasked copy. */
class ClusterSpecRulesTest {

    private static RunSpec spec(MaskRules mask) {
        return new RunSpec(Source.volume("prod"), "mvn test", "maven:3", null, Map.of(), null, null, null, Map.of(),
                mask);
    }

    @Test
    void aMaskedRunIsRefusedNamingTheField() {
        ApiProblem problem = catchThrowableOfType(() -> new ClusterSpecRules().check(
                spec(MaskRules.parse("a.b.c: hash"))), ApiProblem.class);
        assertThat(problem.body().status()).isEqualTo(400);
        assertThat(problem.body().field()).isEqualTo("mask");
        assertThatCode(() -> new ClusterSpecRules().check(spec(null))).doesNotThrowAnyException();
    }
}
