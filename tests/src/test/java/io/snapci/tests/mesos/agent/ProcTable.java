package io.snapci.tests.mesos.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One look at this machine's processes through {@code /proc}: parent, session and resident memory of each. A
 * container's processes are its session (every task is started in a session of its own, as the Mesos launcher
 * starts each container in its own process group and cgroups) plus its main process's descendants; what a cgroup
 * would count, the peer counts over those.
 */
final class ProcTable {

    record Proc(long pid, long ppid, long session, char state, long rssBytes) {
        boolean alive() {
            return state != 'Z' && state != 'X';
        }
    }

    private static final long PAGE_SIZE = 4096; // x86-64 and arm64 Linux; statm counts pages

    private final Map<Long, Proc> procs;

    private ProcTable(Map<Long, Proc> procs) {
        this.procs = procs;
    }

    static ProcTable scan() {
        Map<Long, Proc> procs = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> isNumber(p))) {
            for (Path dir : dirs) {
                read(dir).ifPresent(p -> procs.put(p.pid(), p));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc", e);
        }
        return new ProcTable(procs);
    }

    /** The live processes of the container whose main process is (or was) {@code mainPid}. */
    List<Proc> container(long mainPid) {
        List<Proc> members = new ArrayList<>();
        Set<Long> tree = new java.util.HashSet<>();
        tree.add(mainPid);
        boolean grew = true;
        while (grew) { // descendants by parent links, whatever session they moved to
            grew = false;
            for (Proc p : procs.values()) {
                if (!tree.contains(p.pid()) && tree.contains(p.ppid())) {
                    tree.add(p.pid());
                    grew = true;
                }
            }
        }
        for (Proc p : procs.values()) {
            if (p.alive() && (p.session() == mainPid || tree.contains(p.pid()))) {
                members.add(p);
            }
        }
        return members;
    }

    long rssBytes(long mainPid) {
        return container(mainPid).stream().mapToLong(Proc::rssBytes).sum();
    }

    private static boolean isNumber(Path p) {
        String name = p.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    private static java.util.Optional<Proc> read(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"));
            // pid (comm) state ppid pgrp session ... — comm may hold spaces and parentheses: split after the last ')'
            int close = stat.lastIndexOf(')');
            String[] f = stat.substring(close + 2).split(" ");
            long pid = Long.parseLong(stat.substring(0, stat.indexOf(' ')));
            char state = f[0].charAt(0);
            long ppid = Long.parseLong(f[1]);
            long session = Long.parseLong(f[3]);
            long rss = 0;
            try {
                String[] statm = Files.readString(dir.resolve("statm")).trim().split(" ");
                rss = Long.parseLong(statm[1]) * PAGE_SIZE;
            } catch (IOException | RuntimeException ignored) {
                // exited between the two reads
            }
            return java.util.Optional.of(new Proc(pid, ppid, session, state, rss));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty(); // the process exited while we looked
        }
    }
}
