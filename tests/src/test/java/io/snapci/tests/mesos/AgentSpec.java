package io.snapci.tests.mesos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import io.snapci.tests.mesos.agent.AgentRuntime;
import io.snapci.tests.mesos.agent.ExecutingAgent;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Value;

/**
 * An agent as the master knows it after it registered: id, hostname, resources (optionally statically reserved for
 * one role), attributes and, if the operator scheduled maintenance, its unavailability. An agent is either
 * <em>scripted</em> (the default: its tasks follow {@link Lifecycle}s and nothing runs) or <em>executing</em>
 * ({@link Builder#executing}: an {@link ExecutingAgent} really runs the task groups it is given).
 *
 * <pre>{@code
 * AgentSpec.agent("ci-1").hostname("ci-1.example").cpus(8).mem(32768).disk(200_000).ports(31000, 32000)
 *          .attribute("tier", "ci").executing(AgentRuntime.defaults()).build()
 * }</pre>
 *
 * @param execution how an executing agent runs here; empty for a scripted agent
 */
public record AgentSpec(String id, String hostname, double cpus, double mem, double disk, List<long[]> portRanges,
        List<Attribute> attributes, String role, Instant unavailableFrom, Duration unavailableFor,
        Optional<AgentRuntime> execution) {

    public static Builder agent(String id) {
        return new Builder(id);
    }

    /** The agent's whole resources, unallocated. */
    ResourceBag resources() {
        String reservation = role.equals("*") ? null : role;
        ResourceBag bag = ResourceBag.empty()
                .addScalar(new ResourceBag.Kind("cpus", null, reservation), cpus)
                .addScalar(new ResourceBag.Kind("mem", null, reservation), mem)
                .addScalar(new ResourceBag.Kind("disk", null, reservation), disk);
        for (long[] range : portRanges) {
            bag.addRange(new ResourceBag.Kind("ports", null, reservation), range[0], range[1]);
        }
        return bag;
    }

    public static final class Builder {
        private final String id;
        private String hostname;
        private double cpus = 4;
        private double mem = 8192;
        private double disk = 100_000;
        private final List<long[]> ports = new ArrayList<>();
        private final List<Attribute> attributes = new ArrayList<>();
        private String role = "*";
        private Instant unavailableFrom;
        private Duration unavailableFor;
        private AgentRuntime execution;

        private Builder(String id) {
            this.id = Objects.requireNonNull(id);
            this.hostname = id;
        }

        public Builder hostname(String h) {
            hostname = h;
            return this;
        }

        public Builder cpus(double v) {
            cpus = v;
            return this;
        }

        public Builder mem(double megabytes) {
            mem = megabytes;
            return this;
        }

        public Builder disk(double megabytes) {
            disk = megabytes;
            return this;
        }

        public Builder ports(long begin, long end) {
            ports.add(new long[] {begin, end});
            return this;
        }

        public Builder attribute(String name, String text) {
            attributes.add(Attribute.newBuilder().setName(name).setType(Value.Type.TEXT)
                    .setText(Value.Text.newBuilder().setValue(text)).build());
            return this;
        }

        public Builder attribute(String name, double scalar) {
            attributes.add(Attribute.newBuilder().setName(name).setType(Value.Type.SCALAR)
                    .setScalar(Value.Scalar.newBuilder().setValue(scalar)).build());
            return this;
        }

        /** Statically reserves all the agent's resources for {@code role} (agent flag {@code --default_role}). */
        public Builder reservedFor(String r) {
            role = r;
            return this;
        }

        /** Maintenance already scheduled when the agent is added. */
        public Builder unavailable(Instant from, Duration duration) {
            unavailableFrom = from;
            unavailableFor = duration;
            return this;
        }

        /** The agent really runs its task groups on this machine, as {@code runtime} says. */
        public Builder executing(AgentRuntime runtime) {
            execution = Objects.requireNonNull(runtime);
            return this;
        }

        public AgentSpec build() {
            return new AgentSpec(id, hostname, cpus, mem, disk, List.copyOf(ports), List.copyOf(attributes), role,
                    unavailableFrom, unavailableFor, Optional.ofNullable(execution));
        }
    }
}
