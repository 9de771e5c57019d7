package io.snapci.cli.demo;

import com.datastax.oss.driver.api.core.CqlSession;
import io.snapci.scheduler.local.storage.DirectoryFingerprint;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The last chapter of every telling of the guestbook story (on one machine and through the cluster): production's
 * guestbook files compared with their fingerprint from before the runs, and production asked over CQL whether it
 * still holds what it held, and nothing the tests wrote.
 *
 * @param unchanged whether the files are identical and production answers with exactly the entries it had
 */
public record ProductionAfterRuns(boolean unchanged) {

    /**
     * @param tables   production's guestbook keyspace directory
     * @param before   its fingerprint before the runs
     * @param entries  the ordinary entries production was loaded with (plus the one bad entry)
     * @param say      where the findings are told, a line each
     */
    public static ProductionAfterRuns check(Path tables, DirectoryFingerprint before, ProductionNode production,
                                            int entries, Consumer<String> say) {
        List<String> changes = DirectoryFingerprint.of(tables).differencesFrom(before);
        long count;
        boolean badStillThere;
        try (CqlSession session = production.connect()) {
            count = GuestbookData.count(session);
            badStillThere = GuestbookData.hasBadEntry(session);
        }
        say.accept("production's guestbook files: " + before.files().size() + " files, "
                + (changes.isEmpty() ? "identical before and after (SHA-256, inode, size, mtime)"
                : "CHANGED: " + changes));
        say.accept("production still answers with " + count + " entries: the " + (entries + 1)
                + " it had, none the tests wrote");
        return new ProductionAfterRuns(changes.isEmpty() && count == entries + 1 && badStillThere);
    }
}
