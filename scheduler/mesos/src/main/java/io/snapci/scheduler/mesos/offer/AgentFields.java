package io.snapci.scheduler.mesos.offer;

import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Value;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An agent's fields as Marathon constraints see them: {@code hostname}, or any agent attribute formatted as text the
 * way Mesos prints attributes — TEXT as is, SCALAR as a number ({@code 8}, {@code 2.5}), RANGES as
 * {@code [100-200,300-400]} sorted by begin, SET as {@code {a,b,c}} sorted.
 */
public final class AgentFields {

    public static final String HOSTNAME = "hostname";

    private AgentFields() {
    }

    public static String format(Attribute attribute) {
        return switch (attribute.getType()) {
            case TEXT -> attribute.getText().getValue();
            // Marathon formats with the JVM locale's NumberFormat; a fixed plain form keeps "8" and "2.5" stable.
            case SCALAR -> Scalars.format(attribute.getScalar().getValue());
            case RANGES -> attribute.getRanges().getRangeList().stream()
                    .sorted(Comparator.comparingLong(Value.Range::getBegin))
                    .map(r -> r.getBegin() + "-" + r.getEnd())
                    .collect(Collectors.joining(",", "[", "]"));
            case SET -> attribute.getSet().getItemList().stream().sorted()
                    .collect(Collectors.joining(",", "{", "}"));
        };
    }

    /** Every attribute of an agent, formatted; the first of two attributes with the same name wins, as in Marathon. */
    public static Map<String, String> formatAll(List<Attribute> attributes) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (Attribute attribute : attributes) {
            values.putIfAbsent(attribute.getName(), format(attribute));
        }
        return values;
    }

    /** The value of a constraint field on an agent; empty when the agent has no such attribute. */
    public static Optional<String> read(String field, String hostname, Map<String, String> attributes) {
        return HOSTNAME.equals(field) ? Optional.of(hostname) : Optional.ofNullable(attributes.get(field));
    }
}
