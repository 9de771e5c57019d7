package io.snapci.scheduler.mesos.offer;

import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Value;

import java.util.Map;
import java.util.Optional;

/**
 * Requires agent attributes, e.g. {@code tier:ci} (a TEXT attribute named {@code tier} with value {@code ci}).
 * Other attribute types match by meaning: SCALAR numerically ({@code cores:8} matches 8.0), SET when it holds the
 * item, RANGES when a range contains the number; any type also matches its formatted form ({@code {a,b}}).
 */
public final class AttributeStage implements OfferStage {

    private final Map<String, String> required;

    public AttributeStage(Map<String, String> required) {
        this.required = Map.copyOf(required);
    }

    @Override
    public Optional<Rejection> check(CandidateOffer offer, PlacedRuns placed) {
        for (Map.Entry<String, String> need : required.entrySet()) {
            Optional<Attribute> attribute = offer.offer().getAttributesList().stream()
                    .filter(a -> a.getName().equals(need.getKey())).findFirst();
            if (attribute.isEmpty()) {
                return Optional.of(new Rejection("attributes", "attribute",
                        "attribute " + need.getKey() + " is missing, needs " + need.getValue()));
            }
            if (!matches(attribute.get(), need.getValue())) {
                return Optional.of(new Rejection("attributes", "attribute", "attribute " + need.getKey() + " is "
                        + AgentFields.format(attribute.get()) + ", needs " + need.getValue()));
            }
        }
        return Optional.empty();
    }

    static boolean matches(Attribute attribute, String wanted) {
        if (AgentFields.format(attribute).equals(wanted)) {
            return true;
        }
        return switch (attribute.getType()) {
            case TEXT -> false;
            case SCALAR -> number(wanted).map(n -> Scalars.toMillis(n) == Scalars.toMillis(attribute.getScalar()
                    .getValue())).orElse(false);
            case SET -> attribute.getSet().getItemList().contains(wanted);
            case RANGES -> number(wanted).filter(n -> n == Math.rint(n)).map(n -> inRanges(attribute.getRanges(),
                    n.longValue())).orElse(false);
        };
    }

    private static boolean inRanges(Value.Ranges ranges, long n) {
        return ranges.getRangeList().stream().anyMatch(r -> r.getBegin() <= n && n <= r.getEnd());
    }

    private static Optional<Double> number(String text) {
        try {
            return Optional.of(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
