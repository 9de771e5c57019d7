package io.snapci.model;

/**
 * Where a run's current attempt was sent. Recorded <em>before</em> the launch is sent, so that a scheduler that
 * restarts mid-run knows which tasks may exist and asks the cluster about them instead of launching twice.
 *
 * @param agentId  the Mesos agent id, or {@code "local"} on one machine
 * @param hostname the agent's host, for people
 * @param attempt  1 for the first placement, then one more for each retry after an infrastructure loss
 * @param agentUrl where the agent's HTTP endpoints are (its files API serves the task sandboxes), or null
 */
public record Placement(String agentId, String hostname, int attempt, String agentUrl) {

    public Placement(String agentId, String hostname, int attempt) {
        this(agentId, hostname, attempt, null);
    }

    public static Placement local() {
        return new Placement("local", "this machine", 1);
    }

    /** "ci-agent-3 (agent a3, attempt 1)". */
    public String describe() {
        return hostname + " (agent " + agentId + ", attempt " + attempt + ")";
    }
}
