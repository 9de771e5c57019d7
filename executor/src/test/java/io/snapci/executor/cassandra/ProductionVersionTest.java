package io.snapci.executor.cassandra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Production's version from file names of every format, and what a run on this machine then boots. */
class ProductionVersionTest {

    @TempDir
    Path dir;

    private Path node(String name, String recordedRelease, String... dataFiles) throws Exception {
        Path data = dir.resolve(name);
        for (String file : dataFiles) {
            Path f = data.resolve("shop/orders-0a1b2c3d4e5f60718293a4b5c6d7e8f9").resolve(file);
            Files.createDirectories(f.getParent());
            Files.write(f, new byte[]{1, 2, 3});
        }
        if (recordedRelease != null) {
            Path local = data.resolve("system/local-7ad54392bcdd35a684174e047860b377/nb-9-big-Data.db");
            Files.createDirectories(local.getParent());
            // as in a real system.local: the CQL version, an address, then the release among other cells
            Files.write(local, ("\u0000\u0005" + "3.4.7" + "\u0000127.0.0.1\u0000" + recordedRelease + "\u0000")
                    .getBytes(StandardCharsets.ISO_8859_1));
        }
        return data;
    }

    @Test
    void everyFormatsFileNameTellsItsMajorVersion() {
        assertThat(ProductionVersion.format("nb-1-big-Data.db")).contains("nb");
        assertThat(ProductionVersion.format("oa-3gdn_0cxf_1jdua2rz0vcmu7c6hl-big-Data.db")).contains("oa");
        assertThat(ProductionVersion.format("da-3-bti-Data.db")).contains("da");
        assertThat(ProductionVersion.format("me-12-big-Data.db")).contains("me");
        assertThat(ProductionVersion.format("shop-orders-ka-4-Data.db")).contains("ka");
        assertThat(ProductionVersion.format("nb-1-big-Index.db")).isEmpty();
        assertThat(List.of("ka", "lb", "ma", "mc", "me", "na", "nb", "oa", "da").stream()
                .map(ProductionVersion::majorOf)).containsExactly(2, 2, 3, 3, 3, 4, 4, 5, 5);
    }

    @Test
    void theRecordedReleaseDecidesAndFilesOfTheNewestFormatAreEnough() throws Exception {
        ProductionVersion five = ProductionVersion.detect(List.of(node("a", "5.0.6", "nb-1-big-Data.db"))).get();
        assertThat(five.major()).isEqualTo(5);
        assertThat(five.release()).isEqualTo("5.0.6");
        assertThat(five.describe()).isEqualTo("Cassandra 5.0 (release 5.0.6 recorded in system.local; SSTable format nb)");

        ProductionVersion four = ProductionVersion.detect(List.of(node("b", "4.1.5", "nb-1-big-Data.db"))).get();
        assertThat(four.major()).isEqualTo(4);
        assertThat(four.certain()).isTrue();

        ProductionVersion bti = ProductionVersion.detect(List.of(node("c", null, "da-1-bti-Data.db"))).get();
        assertThat(bti.major()).isEqualTo(5);
        assertThat(bti.certain()).isTrue();

        ProductionVersion nbOnly = ProductionVersion.detect(List.of(node("d", null, "nb-1-big-Data.db"))).get();
        assertThat(nbOnly.certain()).as("4.x, or 5.0 in storage compatibility mode").isFalse();

        ProductionVersion three = ProductionVersion.detect(List.of(node("e", null, "mc-1-big-Data.db",
                "me-2-big-Data.db"))).get();
        assertThat(three.major()).isEqualTo(3);
        assertThat(three.formats()).isEqualTo(Set.of("mc", "me"));

        ProductionVersion cluster = ProductionVersion.detect(List.of(node("f", "4.1.5", "nb-1-big-Data.db"),
                node("g", "5.0.2", "oa-1-big-Data.db"))).get();
        assertThat(cluster.major()).as("mid-upgrade: the newest node decides").isEqualTo(5);
        assertThat(ProductionVersion.detect(List.of(dir.resolve("empty")))).isEmpty();
    }

    @Test
    void productionsOwnMajorBootsAnOlderOneIsRefusedUnlessANewerOneIsAskedFor() throws Exception {
        Optional<ProductionVersion> five = ProductionVersion.detect(List.of(node("a", "5.0.6", "nb-1-big-Data.db")));
        assertThat(VersionChoice.choose(five, "5.0.6", null)).startsWith("Cassandra 5.0.6, production's own");

        Optional<ProductionVersion> four = ProductionVersion.detect(List.of(node("b", "4.1.5", "nb-1-big-Data.db")));
        assertThatThrownBy(() -> VersionChoice.choose(four, "5.0.6", null))
                .hasMessageContaining("production runs Cassandra 4.0/4.1 (release 4.1.5 recorded in system.local")
                .hasMessageContaining("Java 8 or 11")
                .hasMessageContaining("--cassandra-version 5.0");
        assertThat(VersionChoice.choose(four, "5.0.6", "5.0"))
                .startsWith("Cassandra 5.0.6 instead of production's Cassandra 4.0/4.1");

        Optional<ProductionVersion> nbOnly = ProductionVersion.detect(List.of(node("d", null, "nb-1-big-Data.db")));
        assertThatThrownBy(() -> VersionChoice.choose(nbOnly, "5.0.6", null))
                .hasMessageContaining("system.local records no release");

        assertThatThrownBy(() -> VersionChoice.choose(four, "5.0.6", "4.1"))
                .hasMessageContaining("cassandra.version 4.1 cannot run here");
        Optional<ProductionVersion> newer = Optional.of(new ProductionVersion(6, "6.0.0", Set.of("pa"), true));
        assertThatThrownBy(() -> VersionChoice.choose(newer, "5.0.6", "5.0")).hasMessageContaining("newer than");
        Optional<ProductionVersion> ancient = ProductionVersion.detect(List.of(node("h", null, "x-y-ka-1-Data.db")));
        assertThatThrownBy(() -> VersionChoice.choose(ancient, "5.0.6", "5.0")).hasMessageContaining("that old");
        assertThat(VersionChoice.choose(Optional.empty(), "5.0.6", null)).isNull();
    }
}
