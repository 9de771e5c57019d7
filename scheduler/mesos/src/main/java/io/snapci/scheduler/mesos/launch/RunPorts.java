package io.snapci.scheduler.mesos.launch;

/**
 * The ports one run binds on its agent, all taken from the offer: tasks share the agent's network namespace
 * (src/slave/containerizer/mesos/isolators/network: no isolation by default), so a port two runs both bound would
 * really collide. Cassandra's JMX port too: the official image's cassandra-env.sh would hard-code 7199.
 *
 * @param cql     native transport, what the tests connect to
 * @param storage internode messaging (the node is its own seed; nobody else connects)
 * @param jmx     local JMX, which the node launcher drains the node through
 */
public record RunPorts(int cql, int storage, int jmx) {

    /** How many ports a run takes from an offer. */
    public static final int COUNT = 3;

    public static RunPorts of(int[] ports) {
        if (ports.length != COUNT) {
            throw new IllegalArgumentException("a run takes " + COUNT + " ports, got " + ports.length);
        }
        return new RunPorts(ports[0], ports[1], ports[2]);
    }
}
