package io.snapci.executor.cassandra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Who a copy's files belong to, and so who its node runs as. A clone of a production volume carries the uid that
 * production Cassandra wrote it as; chowning a production-sized tree for every run is not acceptable, so the node
 * runs as that uid instead: snapci's launcher, started as root (the task's user in a cluster), drops to the data's
 * owner for the Cassandra JVM ({@code setpriv} from util-linux, as the official image's entrypoint drops with
 * {@code gosu}). Started as anyone else, it runs the node as itself: the files must then be its own.
 *
 * @param uid the owner of the copy's root
 * @param gid its group
 */
public record DataOwner(int uid, int gid) {

    public static DataOwner of(Path copyRoot) throws IOException {
        return new DataOwner((Integer) Files.getAttribute(copyRoot, "unix:uid"),
                (Integer) Files.getAttribute(copyRoot, "unix:gid"));
    }

    /** This process's uid (Linux: the owner of /proc/self). */
    static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /** Whether the node must be started as another user than this process. */
    public boolean needsSwitch() {
        return currentUid() == 0 && uid != 0;
    }

    /** What goes in front of the node's command line to run it as the owner (empty when no switch is needed). */
    List<String> commandPrefix() {
        if (!needsSwitch()) {
            return List.of();
        }
        return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--");
    }

    /**
     * Lets the owner pass through {@code dir} (o+x, nothing more): a task's sandbox is 0750 and its user's
     * (src/slave/containerizer/mesos/paths.cpp), and the node, run as the copy's owner, reaches its configuration
     * and the mounted copy through it.
     */
    public void mayTraverse(Path dir) throws IOException {
        if (!needsSwitch()) {
            return;
        }
        var permissions = java.nio.file.Files.getPosixFilePermissions(dir);
        if (permissions.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
            java.nio.file.Files.setPosixFilePermissions(dir, permissions);
        }
    }

    /**
     * Gives the owner what the node writes outside the data (its configuration and log directory, and directories
     * of the layout the copy lacked, which this process just created). Never the data: those files are the owner's
     * already.
     */
    void own(List<Path> smallDirectories) throws IOException {
        if (!needsSwitch()) {
            return;
        }
        for (Path dir : smallDirectories) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.toList()) {
                    Files.setAttribute(p, "unix:uid", uid);
                    Files.setAttribute(p, "unix:gid", gid);
                }
            }
        }
    }
}
