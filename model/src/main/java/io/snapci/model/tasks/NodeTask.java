package io.snapci.model.tasks;

import io.snapci.model.Phase;

/**
 * The contract between the scheduler and the cassandra task of a cluster run, which runs snapci's own node launcher
 * from the executor bundle (the same code local runs boot their node with): where the copy is mounted, and the
 * variables that say which ports, settings and Cassandra to boot.
 */
public final class NodeTask {

    /**
     * Where the copy is mounted, relative to the task's sandbox. A relative container path is mounted under the
     * sandbox whether the task has an image or not (src/slave/containerizer/mesos/isolators/docker/volume/
     * isolator.cpp), so the launcher finds it at {@code $MESOS_SANDBOX/snapci-copy} in any Cassandra image.
     */
    public static final String COPY_DIR = "snapci-copy";

    /**
     * A cluster source's node count (unset: one node). Node 1's clone is mounted at {@link #COPY_DIR}, node n's at
     * {@code snapci-copy-<n>}; the launcher makes the further nodes' data directories of the first copy
     * ({@code data-<n>}), as a local copy of several nodes has them.
     */
    public static final String COPY_NODES = "SNAPCI_COPY_NODES";

    /** Where node {@code n} (from 1) of the copy is mounted, relative to the sandbox. */
    public static String copyDir(int n) {
        return n <= 1 ? COPY_DIR : COPY_DIR + "-" + n;
    }

    /** The offered ports the node binds: CQL (also {@link TestsTask#CASSANDRA_PORT}), internode storage, JMX. */
    public static final String STORAGE_PORT = "SNAPCI_STORAGE_PORT";
    public static final String JMX_PORT = "SNAPCI_JMX_PORT";
    /** The run's node settings (heap, datacenter, rack, partitioner, JVM options) as the run spec's JSON. */
    public static final String SETTINGS = "SNAPCI_CASSANDRA_SETTINGS";
    /**
     * Where Cassandra's jars are; unset, the image's own {@code $CASSANDRA_HOME/lib} (the official image sets
     * {@code CASSANDRA_HOME=/opt/cassandra}). The JVM that runs them is the image's ({@code $JAVA_HOME/bin/java}).
     */
    public static final String CASSANDRA_LIB = "SNAPCI_CASSANDRA_LIB";
    /**
     * A directory that outlives the task (on the agent, or shipped with the executor bundle) where the node keeps
     * its runtime's class-data archive (docs/fast-start.md); unset, the node starts fast without one.
     */
    public static final String CLASS_ARCHIVES = "SNAPCI_CLASS_ARCHIVES";

    /**
     * The relative container path (in the cassandra task's sandbox) of the agent's class-archive directory, when the
     * service has one (cassandra.classArchiveHostPath, a HOST_PATH volume); {@link #CLASS_ARCHIVES} names it then.
     */
    public static final String CLASS_ARCHIVES_DIR = "snapci-class-archives";

    /**
     * A masked run's rules (the run spec's {@code mask}, as JSON), on the cassandra task only: the node launcher masks
     * the copy before the node listens where the tests connect (docs/masking.md). Unset: no masking.
     */
    public static final String MASK = "SNAPCI_MASK";

    /**
     * The sandbox file holding the masking hash's key when the service has one (masking.hashKeySecret): a file-based
     * secret the agent's {@code volume/secret} isolator puts at this relative container path, on a ramfs mounted in
     * the cassandra task's container only (mesos src/slave/containerizer/mesos/isolators/volume/secret.cpp:149-283),
     * read by the node launcher before the node boots. Absent, with no {@link #MASK_KEY_SECRET}: the launcher draws a
     * random key for the run.
     */
    public static final String MASK_KEY_FILE = "snapci-mask-key";

    /**
     * The name of the secret the service's masking key comes from (masking.hashKeySecret), set when the task carries
     * that secret volume: the node launcher then refuses to mask without it rather than with a key of its own, which
     * would make this run's masked values differ from every other run's without a word.
     */
    public static final String MASK_KEY_SECRET = "SNAPCI_MASK_KEY_SECRET";

    /**
     * The loopback address a copy is masked on: the tests task, in the same network namespace, connects to
     * 127.0.0.1 and finds nothing there until the copy is masked and its node started again on 127.0.0.1.
     */
    public static final String MASKING_HOST = "127.0.0.2";

    /**
     * How the node launcher tells its phases and progress on its stdout, one line each: the scheduler reads a masked
     * run's lines from the agent to show its MASKING phase, as a local run's listener hears it. They name tables and
     * counts, never a value.
     */
    public static final String OUTPUT_PREFIX = "[snapci] ";

    public static String phaseLine(Phase phase, String note) {
        return OUTPUT_PREFIX + phase + ": " + note;
    }

    public static String progressLine(String note) {
        return OUTPUT_PREFIX + note;
    }

    private NodeTask() {
    }
}
