package io.snapci.executor.cassandra;

import java.util.Optional;

/**
 * Which Cassandra a copy boots: production's own major version where this machine can run it; else, only when the
 * user asks for it ({@code cassandra.version}, {@code --cassandra-version}), a newer one that reads production's
 * files; else the run is refused, with the reason, before anything is copied.
 */
public final class VersionChoice {

    /** A refused run: the message says why and what to do. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private VersionChoice() {
    }

    /**
     * @param production what the source's files say ({@link ProductionVersion}), empty for a source without
     *                   SSTables
     * @param runtime    the Cassandra release this machine boots, e.g. {@code 5.0.6}
     * @param requested  the release line the user asked for, e.g. {@code 5.0}, or null
     * @return what the run's record and output say about the version, or null when there is nothing to say (an
     * empty source, nothing asked)
     */
    public static String choose(Optional<ProductionVersion> production, String runtime, String requested)
            throws Refused {
        int runtimeMajor = major(runtime);
        if (requested != null && !(runtime + ".").startsWith(requested + ".")) {
            throw new Refused("cassandra.version " + requested + " cannot run here: this machine boots Cassandra "
                    + runtime + " only" + javaNote(major(requested)));
        }
        if (production.isEmpty()) {
            return requested == null ? null : "Cassandra " + runtime + " (asked for " + requested
                    + "; the source has no SSTables to tell production's version)";
        }
        ProductionVersion found = production.get();
        if (found.major() > runtimeMajor) {
            throw new Refused("production runs " + found.describe() + ", newer than the Cassandra " + runtime
                    + " this machine boots, which cannot read its files");
        }
        if (found.major() == runtimeMajor && found.certain()) {
            return "Cassandra " + runtime + ", production's own major version: " + found.describe();
        }
        if (requested == null) {
            String why = found.certain() ? "" : "; its files do not tell which, and system.local records no release";
            throw new Refused("production runs " + found.describe() + why + ", and this machine boots Cassandra "
                    + runtime + " only" + javaNote(found.major()) + ". Pass --cassandra-version "
                    + line(runtime) + " (cassandra.version) to test on " + runtime + ", which reads "
                    + (found.major() >= 3 ? "those files" : "no files that old")
                    + "; the run's record then says so");
        }
        if (found.major() < 3) {
            throw new Refused("production runs " + found.describe() + ": Cassandra " + runtime
                    + " cannot read SSTables that old (upgrade them with nodetool upgradesstables first)");
        }
        return "Cassandra " + runtime + " instead of production's " + found.describe() + ", as asked (cassandra.version "
                + requested + "): it reads those files; what the tests write in the copy is in " + line(runtime)
                + "'s format";
    }

    /** Why production's version cannot run on this machine's Java. */
    private static String javaNote(int major) {
        return switch (major) {
            case 4 -> " (Cassandra 4.0 and 4.1 run on Java 8 or 11; this machine has Java "
                    + Runtime.version().feature() + ", and Debian 12 ships no Java 8 or 11)";
            case 3 -> " (Cassandra 3.x runs on Java 8 only; this machine has Java " + Runtime.version().feature()
                    + ")";
            default -> "";
        };
    }

    static int major(String version) {
        int dot = version.indexOf('.');
        return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
    }

    /** {@code 5.0.6} → {@code 5.0}. */
    static String line(String release) {
        String[] parts = release.split("\\.");
        return parts.length < 2 ? release : parts[0] + "." + parts[1];
    }
}
