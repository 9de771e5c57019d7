package io.snapci.scheduler.mesos.offer;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OfferMarathonConstraintTest {

    private static MarathonConstraint c(String... parts) {
        return MarathonConstraint.parse(List.of(parts));
    }

    private static Optional<String> check(MarathonConstraint constraint, String value, Map<String, Integer> placed) {
        return constraint.check(Optional.ofNullable(value), placed);
    }

    @Test
    void likeAndUnlikeAreFullMatches() {
        MarathonConstraint like = c("rack", "LIKE", "rack-[1-3]");
        MarathonConstraint unlike = c("rack", "UNLIKE", "rack-[7-9]");

        assertThat(check(like, "rack-2", Map.of())).isEmpty();
        assertThat(check(like, "rack-22", Map.of())).contains("rack is rack-22, which does not match rack-[1-3]");
        assertThat(check(like, "my-rack-2", Map.of())).isPresent();
        assertThat(check(unlike, "rack-7", Map.of())).contains("rack is rack-7, which matches rack-[7-9]");
        assertThat(check(unlike, "rack-77", Map.of())).isEmpty();
    }

    @Test
    void anAgentWithoutTheAttributePassesOnlyUnlike() {
        assertThat(check(c("rack", "UNLIKE", "rack-9"), null, Map.of())).isEmpty();
        assertThat(check(c("rack", "LIKE", ".*"), null, Map.of())).contains("the agent has no attribute rack");
        assertThat(check(c("rack", "UNIQUE"), null, Map.of())).contains("the agent has no attribute rack");
    }

    @Test
    void isAndInCompareWholeValues() {
        assertThat(check(c("tier", "IS", "ci"), "ci", Map.of())).isEmpty();
        assertThat(check(c("tier", "IS", "ci"), "ci2", Map.of())).contains("tier is ci2, not ci");
        assertThat(check(c("zone", "IN", "a, b,c"), "b", Map.of())).isEmpty();
        assertThat(check(c("zone", "IN", "a,b,c"), "d", Map.of())).contains("zone is d, not one of a,b,c");
    }

    @Test
    void uniqueAndMaxPerCountTheLiveRunsOnTheValue() {
        assertThat(check(c("hostname", "UNIQUE"), "host-1", Map.of("host-2", 1))).isEmpty();
        assertThat(check(c("hostname", "UNIQUE"), "host-1", Map.of("host-1", 1)))
                .contains("1 run is already on hostname host-1");
        assertThat(check(c("hostname", "MAX_PER", "2"), "host-1", Map.of("host-1", 1))).isEmpty();
        assertThat(check(c("hostname", "MAX_PER", "2"), "host-1", Map.of("host-1", 2)))
                .contains("2 runs are already on hostname host-1 (at most 2)");
    }

    @Test
    void clusterWithAValueIsEqualityAndWithoutFollowsTheFirstRun() {
        assertThat(check(c("rack", "CLUSTER", "r1"), "r1", Map.of())).isEmpty();
        assertThat(check(c("rack", "CLUSTER", "r1"), "r2", Map.of())).contains("rack is r2, not r1");
        assertThat(check(c("rack", "CLUSTER"), "r2", Map.of())).isEmpty();
        assertThat(check(c("rack", "CLUSTER"), "r2", Map.of("r2", 3))).isEmpty();
        assertThat(check(c("rack", "CLUSTER"), "r2", Map.of("r1", 1)))
                .contains("runs are clustered on rack r1, this agent has r2");
    }

    @Test
    void groupBySpreadsEvenly() {
        MarathonConstraint groupBy = c("rack", "GROUP_BY", "3");

        assertThat(check(groupBy, "r3", Map.of("r1", 1, "r2", 1))).isEmpty();
        // only two of the three racks used: a third is wanted before doubling up
        assertThat(check(groupBy, "r1", Map.of("r1", 1, "r2", 1)))
                .contains("rack r1 already has 1 runs; spreading over r1, r2 (at least 3 values)");
        Map<String, Integer> three = new HashMap<>(Map.of("r1", 1, "r2", 1, "r3", 1));
        assertThat(check(groupBy, "r1", three)).isEmpty();
        three.put("r1", 2);
        assertThat(check(groupBy, "r1", three)).isPresent();
        assertThat(check(groupBy, "r2", three)).isEmpty();
    }

    @Test
    void attributesAreReadFormattedAsMesosPrintsThem() {
        assertThat(check(c("slots", "IS", "[10-20,30-40]"), "[10-20,30-40]", Map.of())).isEmpty();
    }

    @Test
    void invalidConstraintsAreRejectedWhenBuiltWithAClearMessage() {
        assertThatThrownBy(() -> c("hostname", "SPREAD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Constraint [hostname, SPREAD]: unknown operator SPREAD; use one of "
                        + "[UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER, IS, IN]");
        assertThatThrownBy(() -> c("rack", "LIKE", "rack-[1-3"))
                .hasMessageStartingWith("Constraint [rack, LIKE, rack-[1-3]: the value is not a valid regular "
                        + "expression: Unclosed character class");
        assertThatThrownBy(() -> c("hostname", "MAX_PER"))
                .hasMessage("Constraint [hostname, MAX_PER]: MAX_PER needs the largest number of runs per value, "
                        + "e.g. 2 (got nothing)");
        assertThatThrownBy(() -> c("hostname", "MAX_PER", "two"))
                .hasMessage("Constraint [hostname, MAX_PER, two]: MAX_PER needs the largest number of runs per value, "
                        + "e.g. 2 (got 'two')");
        assertThatThrownBy(() -> c("hostname", "UNIQUE", "x")).hasMessage("Constraint [hostname, UNIQUE, x]: "
                + "UNIQUE takes no value");
        assertThatThrownBy(() -> c("LIKE")).hasMessage("A constraint is [field, OPERATOR] or [field, OPERATOR, value], "
                + "got [LIKE]");
        assertThatThrownBy(() -> c("rack", "IS")).hasMessage("Constraint [rack, IS]: IS needs a value");
    }

    @Test
    void theColonFormKeepsColonsInTheValue() {
        MarathonConstraint parsed = MarathonConstraint.parse("hostname:like:ci-[0-9]+:x");

        assertThat(parsed.operator()).isEqualTo(MarathonConstraint.Operator.LIKE);
        assertThat(parsed.value()).isEqualTo("ci-[0-9]+:x");
        assertThat(parsed).hasToString("[hostname, LIKE, ci-[0-9]+:x]");
    }
}
