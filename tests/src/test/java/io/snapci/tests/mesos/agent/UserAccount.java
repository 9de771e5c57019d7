package io.snapci.tests.mesos.agent;

import java.util.List;
import java.util.Optional;

/**
 * A user of this machine as the agent resolves it ({@code getpwnam}): name, uid and primary gid. Mesos changes a
 * sandbox's owner to the user's uid and primary group (stout {@code os/posix/chown.hpp:93-109}) and the launch helper
 * switches to that uid, gid and the user's supplementary groups (mesos 1.11.0
 * {@code src/slave/containerizer/mesos/launch.cpp:909-957}); the peer does the same with {@code setpriv}.
 */
record UserAccount(String name, int uid, int gid) {

    /** The user, or empty when this machine has no such user. */
    static Optional<UserAccount> lookup(String name) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        HostCommand.Result uid = HostCommand.run(List.of("id", "-u", "--", name));
        HostCommand.Result gid = HostCommand.run(List.of("id", "-g", "--", name));
        if (!uid.ok() || !gid.ok()) {
            return Optional.empty();
        }
        return Optional.of(new UserAccount(name, Integer.parseInt(uid.stdout().trim()),
                Integer.parseInt(gid.stdout().trim())));
    }

    /** The user this JVM (the agent) runs as. */
    static UserAccount agentUser() {
        return AgentUser.ACCOUNT;
    }

    private static final class AgentUser {
        static final UserAccount ACCOUNT = lookup(System.getProperty("user.name")).orElseThrow(
                () -> new IllegalStateException("cannot resolve the agent's own user " + System.getProperty("user.name")));
    }

    /** stout {@code os::chown}: "No such user '&lt;user&gt;'" when {@code getpwnam} finds nothing. */
    static String noSuchUser(String name) {
        return "No such user '" + name + "'";
    }
}
