package io.snapci.executor.cassandra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RecordedProductionVersionTest {

    @TempDir
    Path copy;

    /**
     * The first attempt read a 5.0 copy; its boot then wrote nb SSTables (5.0's default compatibility mode) and the
     * 5.0-only files were compacted away, so the files alone now say "4.0/4.1, or 5.0". A retried attempt must still
     * know production's version.
     */
    @Test
    void aLaterAttemptOnTheSameCopyGetsWhatTheFirstOneRead() throws Exception {
        Path table = Files.createDirectories(copy.resolve("data/shop/orders-0123456789abcdef0123456789abcdef"));
        Files.writeString(table.resolve("oa-1-big-Data.db"), "rows");
        List<Path> data = List.of(copy.resolve("data"));

        Optional<ProductionVersion> first = RecordedProductionVersion.of(copy, data);
        Files.delete(table.resolve("oa-1-big-Data.db"));
        Files.writeString(table.resolve("nb-2-big-Data.db"), "rows written by the first boot");
        Optional<ProductionVersion> retried = RecordedProductionVersion.of(copy, data);

        assertThat(first).get().extracting(ProductionVersion::major, ProductionVersion::certain).containsExactly(5, true);
        assertThat(retried).isEqualTo(first);
        assertThat(ProductionVersion.detect(data)).get().extracting(ProductionVersion::major).isEqualTo(4);
    }

    @Test
    void aCopyWithoutSSTablesIsRecordedAsTellingNothing() throws Exception {
        Files.createDirectories(copy.resolve("data"));
        List<Path> data = List.of(copy.resolve("data"));

        assertThat(RecordedProductionVersion.of(copy, data)).isEmpty();
        Path table = Files.createDirectories(copy.resolve("data/shop/orders-0123456789abcdef0123456789abcdef"));
        Files.writeString(table.resolve("nb-1-big-Data.db"), "written by the first boot");

        assertThat(RecordedProductionVersion.of(copy, data)).isEmpty();
        assertThat(copy.resolve(RecordedProductionVersion.FILE_NAME)).exists();
    }
}
