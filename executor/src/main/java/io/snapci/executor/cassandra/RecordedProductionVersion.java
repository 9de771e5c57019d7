package io.snapci.executor.cassandra;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Production's version as the copy's files told it before the first boot, kept in the copy.
 *
 * <p>A cluster run's node task may run again on the same copy (its agent was lost and the run was placed on
 * another). By then the first attempt's boot has reset the copy's identity — {@code system.local}, which records
 * production's release, is gone — and written SSTables of its own, so the files alone no longer tell production's
 * version. The first attempt writes what it read to {@value #FILE_NAME} in the copy's root (the copy is snapci's
 * clone, never production's volume); every later attempt reads that instead of the files.
 */
public final class RecordedProductionVersion {

    public static final String FILE_NAME = ".snapci-production-version";

    private RecordedProductionVersion() {
    }

    /** What the copy recorded, or (on its first attempt) what its data directories tell, recorded for the next. */
    public static Optional<ProductionVersion> of(Path copyRoot, List<Path> dataDirs) throws IOException {
        Path file = copyRoot.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return read(file);
        }
        Optional<ProductionVersion> found = ProductionVersion.detect(dataDirs);
        write(file, found);
        return found;
    }

    /** The task may run as root before it switches to the copy's owner: every file of the copy stays the owner's. */
    private static void ownedLikeTheCopy(Path file, Path copyRoot) throws IOException {
        for (String attribute : List.of("unix:uid", "unix:gid")) {
            Object owner = Files.getAttribute(copyRoot, attribute);
            if (!owner.equals(Files.getAttribute(file, attribute))) {
                Files.setAttribute(file, attribute, owner);
            }
        }
    }

    private static Optional<ProductionVersion> read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        if (!Boolean.parseBoolean(p.getProperty("found"))) {
            return Optional.empty();
        }
        try {
            Set<String> formats = new TreeSet<>();
            String listed = p.getProperty("formats", "");
            if (!listed.isEmpty()) {
                formats.addAll(Arrays.asList(listed.split(",")));
            }
            return Optional.of(new ProductionVersion(Integer.parseInt(p.getProperty("major")),
                    p.getProperty("release"), formats, Boolean.parseBoolean(p.getProperty("certain"))));
        } catch (NumberFormatException e) {
            throw new IOException("the copy's " + file + " is damaged (" + e.getMessage() + "): run the job again", e);
        }
    }

    private static void write(Path file, Optional<ProductionVersion> found) throws IOException {
        Properties p = new Properties();
        p.setProperty("found", String.valueOf(found.isPresent()));
        found.ifPresent(v -> {
            p.setProperty("major", String.valueOf(v.major()));
            if (v.release() != null) {
                p.setProperty("release", v.release());
            }
            p.setProperty("formats", String.join(",", v.formats()));
            p.setProperty("certain", String.valueOf(v.certain()));
        });
        // Written whole or not at all: an attempt killed while writing leaves no half a record for the next.
        Path temp = file.resolveSibling(FILE_NAME + ".tmp");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            p.store(out, "production's Cassandra as the copy's files told it before the first boot");
        }
        ownedLikeTheCopy(temp, file.getParent());
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
