package io.snapci.executor.cassandra;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Cassandra production runs, read from its data directories without starting anything.
 *
 * <p>Two kinds of evidence. The release a node records in {@code system.local} ({@code release_version}, written
 * at every start): a short text cell that stays literal in the SSTable's data (uncompressed, or an LZ4 literal).
 * And the SSTable format versions in the file names ({@code <version>-<id>-<format>-Data.db}): {@code m*} is written
 * by 3.0/3.11, {@code n*} by 4.0/4.1, {@code oa} (big) and {@code da} (bti) by 5.0. A format is a lower bound only:
 * Cassandra 5.0 keeps writing {@code nb} in its default {@code storage_compatibility_mode: CASSANDRA_4}. So the
 * recorded release decides; files alone decide only when they are of the newest format.
 *
 * @param major    the major version (3, 4, 5)
 * @param release  the recorded release, e.g. {@code 5.0.6}, or {@code null} when none was readable
 * @param formats  every SSTable format version seen, e.g. {@code [nb]}
 * @param certain  false when the files leave two majors possible (only {@code nb} files and no recorded release)
 */
public record ProductionVersion(int major, String release, Set<String> formats, boolean certain) {

    /** {@code nb-1-big-Data.db}, {@code oa-3gdn_0cxf_1jdua2rz0vcmu7c6hl-big-Data.db}, {@code da-3-bti-Data.db}. */
    private static final Pattern DATA = Pattern.compile("([a-z]{2})-[0-9a-z_]+-(big|bti)-Data\\.db");
    /** Before 3.0: {@code <keyspace>-<table>-ka-1-Data.db}. */
    private static final Pattern LEGACY_DATA = Pattern.compile(".+-([a-z]{2})-\\d+-Data\\.db");
    private static final Pattern RELEASE = Pattern.compile("(?<![\\d.])(\\d{1,2})\\.(\\d{1,2})\\.(\\d{1,3})(?![\\d.])");
    /** The CQL version system.local also records (3.4.x); never a release of a line that writes it. */
    private static final Pattern CQL_VERSION = Pattern.compile("3\\.4\\.\\d+");
    private static final int MAX_SCAN = 4 * 1024 * 1024;

    /** Reads the data directories of one node or of every node of a cluster; empty when they hold no SSTable. */
    public static Optional<ProductionVersion> detect(List<Path> dataDirs) throws IOException {
        Set<String> formats = new TreeSet<>();
        String release = null;
        for (Path data : dataDirs) {
            for (Path keyspace : list(data)) {
                if (!Files.isDirectory(keyspace)) {
                    continue;
                }
                for (Path table : list(keyspace)) {
                    if (Files.isDirectory(table)) {
                        list(table).forEach(f -> format(f.getFileName().toString()).ifPresent(formats::add));
                    }
                }
            }
            String recorded = recordedRelease(data);
            if (recorded != null && (release == null || compare(recorded, release) > 0)) {
                release = recorded;
            }
        }
        if (formats.isEmpty() && release == null) {
            return Optional.empty();
        }
        int fromFiles = formats.stream().mapToInt(ProductionVersion::majorOf).max().orElse(0);
        if (release != null) {
            int recorded = Integer.parseInt(release.substring(0, release.indexOf('.')));
            return Optional.of(new ProductionVersion(Math.max(recorded, fromFiles), release, formats, true));
        }
        // nb alone: 4.0/4.1, or 5.0 in storage compatibility mode
        return Optional.of(new ProductionVersion(fromFiles, null, formats, fromFiles != 4));
    }

    /** The format version of an SSTable's data file name, e.g. {@code nb}. */
    public static Optional<String> format(String fileName) {
        Matcher m = DATA.matcher(fileName);
        if (m.matches()) {
            return Optional.of(m.group(1));
        }
        Matcher legacy = LEGACY_DATA.matcher(fileName);
        return legacy.matches() ? Optional.of(legacy.group(1)) : Optional.empty();
    }

    /** The major release that writes a format version: j/k/l 2, m 3, n 4, o and d (bti) 5; 0 when unknown. */
    public static int majorOf(String format) {
        return switch (format.charAt(0)) {
            case 'j', 'k', 'l' -> 2;
            case 'm' -> 3;
            case 'n' -> 4;
            case 'o', 'd' -> 5;
            default -> 0;
        };
    }

    /** How a person reads it: {@code Cassandra 5 (release 5.0.6 recorded in system.local; SSTable format nb)}. */
    public String describe() {
        String line = switch (major) {
            case 3 -> "3.0/3.11";
            case 4 -> certain ? "4.0/4.1" : "4.0/4.1 (or 5.0 in storage compatibility mode)";
            case 5 -> "5.0";
            default -> String.valueOf(major);
        };
        return "Cassandra " + line + " (" + (release != null ? "release " + release + " recorded in system.local"
                + (formats.isEmpty() ? "" : "; ") : "")
                + (formats.isEmpty() ? "" : "SSTable format " + String.join(", ", formats)) + ")";
    }

    /**
     * The newest release recorded in this data directory's system.local SSTables, or null. Every SSTable of the
     * table is read: a later one may hold only the cells a flush changed (tokens, a status), not the release.
     */
    static String recordedRelease(Path data) throws IOException {
        Path system = data.resolve("system");
        if (!Files.isDirectory(system)) {
            return null;
        }
        String best = null;
        for (Path table : list(system)) {
            if (!table.getFileName().toString().startsWith("local-") || !Files.isDirectory(table)) {
                continue;
            }
            for (Path file : list(table)) {
                if (format(file.getFileName().toString()).isEmpty()) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = Files.newInputStream(file)) {
                    bytes = in.readNBytes(MAX_SCAN);
                }
                Matcher m = RELEASE.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    String found = m.group();
                    if (!CQL_VERSION.matcher(found).matches() && Integer.parseInt(m.group(1)) >= 3
                            && (best == null || compare(found, best) > 0)) {
                        best = found;
                    }
                }
            }
        }
        return best;
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < 3; i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> entries = new java.util.ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        }
        entries.sort(null);
        return entries;
    }
}
