package io.snapci.scheduler.core.state;

import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The versioned record format on its own; what the stores do with it is in the store contracts. */
class StoredRecordsTest {

    private static final RunStatus RUN = RunStatus.queued("r20261125-060000-0a0a", new RunSpec(null, "true", null,
            null, null, null, null, null, null), Instant.parse("2026-11-25T06:00:00Z"));

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String withVersion(String version) throws IOException {
        String written = new String(StoredRecords.write(RUN), StandardCharsets.UTF_8);
        return written.replace("\"schemaVersion\":\"" + StoredRecords.CURRENT + "\"", "\"schemaVersion\":" + version);
    }

    @Test
    void aVersionAnywhereInTheRecordCountsNotOnlyFirst() throws IOException {
        String written = new String(StoredRecords.write(RUN), StandardCharsets.UTF_8);
        String moved = written.replace("\"schemaVersion\":\"" + StoredRecords.CURRENT + "\",", "")
                .replaceFirst("}$", ",\"schemaVersion\":\"" + (StoredRecords.CURRENT.major() + 1) + ".0\"}");
        assertThat(moved).doesNotStartWith("{\"schemaVersion\"");
        assertThatThrownBy(() -> StoredRecords.readRun(bytes(moved))).isInstanceOf(NewerSchemaException.class);
    }

    @Test
    void aNullVersionIsARecordFromBeforeVersionsAndAMalformedOneIsRefused() throws IOException {
        assertThat(StoredRecords.readRun(bytes(withVersion("null")))).isEqualTo(RUN);
        for (String bad : new String[]{"\"one\"", "2", "\"1\"", "\"0.9\""}) {
            assertThatThrownBy(() -> StoredRecords.readRun(bytes(withVersion(bad))))
                    .isInstanceOf(IOException.class).isNotInstanceOf(NewerSchemaException.class)
                    .hasMessageContaining("schemaVersion");
        }
    }

    @Test
    void aNewerMajorVersionSaysWhichAndWhatToDo() throws IOException {
        assertThatThrownBy(() -> StoredRecords.readRun(bytes(withVersion("\"7.3\""))))
                .isInstanceOfSatisfying(NewerSchemaException.class,
                        e -> assertThat(e.written()).isEqualTo(new SchemaVersion(7, 3)))
                .hasMessageContaining("record schema 7.3").hasMessageContaining("upgrade snapci");
        assertThat(StoredRecords.readRun(bytes(withVersion("\"" + StoredRecords.CURRENT.major() + ".99\""))))
                .isEqualTo(RUN);
    }

    @Test
    void aTypeWithAFieldNamedLikeTheVersionCannotBeStored() {
        record Clash(String schemaVersion) {
        }
        assertThatThrownBy(() -> StoredRecords.write(new Clash("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserves");
    }

    @Test
    void versionsCompareByMajorThenMinor() {
        assertThat(SchemaVersion.parse("1.10")).isGreaterThan(SchemaVersion.parse("1.9"));
        assertThat(new SchemaVersion(1, 0).reads(new SchemaVersion(1, 4))).isTrue();
        assertThat(new SchemaVersion(1, 4).reads(new SchemaVersion(2, 0))).isFalse();
        assertThat(new SchemaVersion(2, 0).reads(new SchemaVersion(1, 7))).isTrue();
    }
}
