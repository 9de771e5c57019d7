package io.snapci.executor.cassandra;

import java.util.ArrayList;
import java.util.List;

/**
 * The java command line that starts CassandraDaemon from jars, without Cassandra's shell scripts or tarball.
 */
final class NodeCommandLine {

    /**
     * The module flags of Cassandra's conf/jvm17-server.options: without them Cassandra 5.0 on JDK 17 stops with
     * "Cassandra is unable to access required classes".
     */
    private static final List<String> JDK17_MODULE_FLAGS = List.of(
            "-Djdk.attach.allowAttachSelf=true",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED");

    private NodeCommandLine() {
    }

    static List<String> build(CassandraRuntime runtime, NodeConfig node) {
        return build(runtime, node, false, List.of());
    }

    /**
     * @param fast         with {@link FastStart}'s JVM flags and Cassandra properties
     * @param archiveFlags the class-data archive's flags ({@link ClassArchive}); empty for none
     */
    static List<String> build(CassandraRuntime runtime, NodeConfig node, boolean fast, List<String> archiveFlags) {
        String runDir = node.runDir().toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(runtime.javaBinary().toString());
        cmd.add("-Xms" + node.settings().heap());
        cmd.add("-Xmx" + node.settings().heap());
        cmd.add("-Xss256k");
        if (fast) {
            cmd.addAll(FastStart.JVM_FLAGS);
        } else {
            cmd.add("-XX:+UseG1GC");
        }
        cmd.addAll(archiveFlags);
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-XX:-UsePerfData");
        cmd.addAll(JDK17_MODULE_FLAGS);
        cmd.add("-Dcassandra.config=" + node.yamlFile().toUri());
        cmd.add("-Dcassandra-rackdc.properties=" + node.rackDcFile().toUri());
        cmd.add("-Dlogback.configurationFile=" + node.logbackFile().toUri());
        cmd.add("-Dcassandra.logdir=" + node.logDir());
        cmd.add("-Dcassandra.storagedir=" + node.dirs().root());
        cmd.add("-Dcassandra-foreground=yes");
        cmd.add("-Dcassandra.jmx.local.port=" + node.ports().jmx());
        // A copy must not gossip with the nodes its source knew: forget the saved ring, do not wait for gossip.
        cmd.add("-Dcassandra.load_ring_state=false");
        cmd.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
        // Nobody listens for this node's shutdown announcement: do not wait the default 2 s for them on drain.
        cmd.add("-Dcassandra.shutdown_announce_in_ms=0");
        // Keep JNA's and the JDK's scratch files inside the run directory, not in the user's home.
        cmd.add("-Duser.home=" + runDir);
        cmd.add("-Djna.tmpdir=" + runDir);
        cmd.add("-Djava.io.tmpdir=" + runDir);
        if (fast) {
            cmd.addAll(FastStart.CASSANDRA_PROPERTIES);
        }
        // Last, so that a user's own option wins over any of snapci's (the JVM takes the last of a repeated flag).
        cmd.addAll(node.settings().jvmOptions());
        cmd.add("-cp");
        cmd.add(runtime.classpath());
        cmd.add("org.apache.cassandra.service.CassandraDaemon");
        return cmd;
    }
}
