package io.snapci.scheduler.local.storage;

import java.util.Locale;

/**
 * What making one copy took: the numbers behind the clone's description, for people and benchmarks.
 *
 * @param linkedFiles   files hard-linked to the source (no bytes written)
 * @param linkedBytes   their size
 * @param copiedFiles   files really copied (or reflinked)
 * @param copiedBytes   their size
 * @param skipped       entries left out (a skipped directory such as {@code snapshots/} counts once)
 * @param reflink       whether copies were reflinks (shared blocks, copy on write)
 * @param relists       how many times a table directory was listed again because it changed during the copy
 * @param elapsedMillis how long the copy took
 */
public record CopyStats(long linkedFiles, long linkedBytes, long copiedFiles, long copiedBytes, long skipped,
                        boolean reflink, int relists, long elapsedMillis) {

    public static final CopyStats NONE = new CopyStats(0, 0, 0, 0, 0, false, 0, 0);

    /** E.g. {@code linked 274 files (120.3 MB), copied 5 (33.6 MB, reflink), skipped 2 in 14 ms}. */
    public String describe() {
        return "linked " + linkedFiles + " files (" + bytes(linkedBytes) + "), copied " + copiedFiles + " ("
                + bytes(copiedBytes) + (reflink ? ", reflink" : "") + "), skipped " + skipped + " in "
                + elapsedMillis + " ms";
    }

    /** Decimal units, one decimal: {@code 512 B}, {@code 1.2 kB}, {@code 120.3 MB}. */
    public static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB", "EB"};
        double value = n;
        int unit = -1;
        while (value >= 999.95 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
