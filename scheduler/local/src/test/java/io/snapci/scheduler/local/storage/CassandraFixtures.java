package io.snapci.scheduler.local.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Synthetic Cassandra directory trees, and fingerprints that prove a tree was not touched. */
final class CassandraFixtures {

    static final String LOCAL = "system/local-7ad54392bcdd35a684174e047860b377";
    static final String TABLES = "system_schema/tables-afddfb9dbc1e30688056eed6c302ba09";
    static final String USERS = "shop/users-0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    static final String EVENTS = "shop/events-ffeeddccbbaa99887766554433221100";

    static final List<String> BIG = List.of("Data.db", "Index.db", "CompressionInfo.db", "Filter.db",
            "Digest.crc32", "TOC.txt", "Statistics.db", "Summary.db");
    static final List<String> BTI = List.of("Data.db", "Partitions.db", "Rows.db", "CompressionInfo.db", "Filter.db",
            "Digest.crc32", "TOC.txt", "Statistics.db");

    private static final Random RANDOM = new Random(42);

    private CassandraFixtures() {
    }

    /**
     * A Cassandra home: data/ (see {@link #dataDir}), commitlog/ with two segments, hints/ with a hint file and its
     * checksum, saved_caches/ with a key cache.
     */
    static Path home(Path dir) throws IOException {
        dataDir(dir.resolve("data"));
        write(dir.resolve("commitlog/CommitLog-7-1700000000001.log"), 3000);
        write(dir.resolve("commitlog/CommitLog-7-1700000000002.log"), 2000);
        write(dir.resolve("hints/3b0e0e7a-2c3d-4e5f-8a9b-0c1d2e3f4a5b-1700000000000-1.hints"), 700);
        write(dir.resolve("hints/3b0e0e7a-2c3d-4e5f-8a9b-0c1d2e3f4a5b-1700000000000-1.crc32"), 10);
        write(dir.resolve("saved_caches/KeyCache-g.db"), 500);
        return dir;
    }

    /**
     * A data directory: system and system_schema with one SSTable each; shop.users with two SSTables (one with a
     * UUID-based generation), a secondary index directory, a compaction transaction log, a temporary file,
     * snapshots/ and backups/; shop.events with a bti SSTable.
     */
    static Path dataDir(Path dir) throws IOException {
        sstable(dir.resolve(LOCAL), "nb-1-big", BIG);
        sstable(dir.resolve(TABLES), "nb-4-big", BIG);
        Path users = dir.resolve(USERS);
        sstable(users, "nb-1-big", BIG);
        sstable(users, "nb-3gdn_0cxf_1jdua2rz0vcmu7c6hl-big", BIG);
        sstable(users.resolve(".users_email_idx"), "nb-1-big", BIG);
        write(users.resolve("nb_txn_compaction_7e3f1c20-8a4b-11ee-b9d1-0242ac120002.log"), 120);
        write(users.resolve("nb-5-big-tmplink-Data.db"), 100);
        sstable(users.resolve("snapshots/before-upgrade"), "nb-1-big", BIG);
        sstable(users.resolve("backups"), "nb-0-big", BIG);
        sstable(dir.resolve(EVENTS), "da-3-bti", BTI);
        return dir;
    }

    /** The files {@link #dataDir} makes that a copy must have, relative to the data directory. */
    static List<String> expectedDataFiles() {
        List<String> files = new java.util.ArrayList<>();
        BIG.forEach(c -> files.add(LOCAL + "/nb-1-big-" + c));
        BIG.forEach(c -> files.add(TABLES + "/nb-4-big-" + c));
        BIG.forEach(c -> files.add(USERS + "/nb-1-big-" + c));
        BIG.forEach(c -> files.add(USERS + "/nb-3gdn_0cxf_1jdua2rz0vcmu7c6hl-big-" + c));
        BIG.forEach(c -> files.add(USERS + "/.users_email_idx/nb-1-big-" + c));
        files.add(USERS + "/nb_txn_compaction_7e3f1c20-8a4b-11ee-b9d1-0242ac120002.log");
        BTI.forEach(c -> files.add(EVENTS + "/da-3-bti-" + c));
        return files;
    }

    static void sstable(Path tableDir, String descriptor, List<String> components) throws IOException {
        for (String component : components) {
            write(tableDir.resolve(descriptor + "-" + component), 200 + RANDOM.nextInt(2000));
        }
    }

    static Path write(Path file, int size) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return Files.write(file, bytes);
    }

    /** Every regular file under {@code root}, relative, sorted. */
    static List<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    static Object inode(Path file) throws IOException {
        return Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Everything that would show that a tree was touched: for each file its SHA-256, inode, size, mtime and
     * permissions; for each directory its mtime (changes when an entry is created, deleted or renamed in it) and
     * permissions. Symlinks by their target.
     */
    static Map<String, String> fingerprint(Path root) {
        Map<String, String> facts = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String name = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    facts.put(name, "symlink->" + Files.readSymbolicLink(p));
                    continue;
                }
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String common = " ino=" + inode(p) + " mtime=" + a.lastModifiedTime().toMillis() + " perms="
                        + PosixFilePermissions.toString(a.permissions()) + " owner=" + a.owner().getName();
                facts.put(name, a.isDirectory() ? "dir" + common
                        : "file sha256=" + sha256(p) + " size=" + a.size() + common);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return facts;
    }

    /** What changed between two fingerprints, one line per entry; empty when nothing did. */
    static List<String> differences(Map<String, String> before, Map<String, String> after) {
        List<String> changes = new java.util.ArrayList<>();
        before.forEach((name, facts) -> {
            if (!after.containsKey(name)) {
                changes.add("deleted " + name);
            } else if (!after.get(name).equals(facts)) {
                changes.add("changed " + name + ": " + facts + " -> " + after.get(name));
            }
        });
        after.keySet().stream().filter(name -> !before.containsKey(name)).forEach(name -> changes.add("added " + name));
        return changes;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
