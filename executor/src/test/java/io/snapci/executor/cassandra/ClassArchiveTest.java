package io.snapci.executor.cassandra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The archive's life on disk, with the real JDK checking archives; the archive in real runs is FastStartTest's. */
class ClassArchiveTest {

    @TempDir
    Path dir;

    private CassandraRuntime runtime() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        if (!Files.exists(lib.resolve("cassandra-all-5.0.6.jar"))) {
            Files.write(lib.resolve("cassandra-all-5.0.6.jar"), new byte[]{1, 2, 3});
        }
        return new CassandraRuntime(lib, CassandraRuntime.currentJava());
    }

    @Test
    void theKeyChangesWithTheRuntimesJarsAndIsStableOtherwise() throws Exception {
        CassandraRuntime runtime = runtime();
        String before = ClassArchive.key(runtime);
        assertThat(ClassArchive.key(runtime)).isEqualTo(before);

        Files.setLastModifiedTime(runtime.libDir().resolve("cassandra-all-5.0.6.jar"), FileTime.fromMillis(0));
        assertThat(ClassArchive.key(runtime)).isNotEqualTo(before);

        String touched = ClassArchive.key(runtime);
        Files.write(runtime.libDir().resolve("extra-1.0.jar"), new byte[]{4});
        assertThat(ClassArchive.key(runtime)).isNotEqualTo(touched);
    }

    @Test
    void withoutAnArchiveTheNodeWritesOneAndItIsPublishedUnderTheKey() throws Exception {
        CassandraRuntime runtime = runtime();
        ClassArchive archives = new ClassArchive(dir.resolve("class-archives"));
        Path scratch = dir.resolve("run/classes.jsa");

        assertThat(archives.flags(runtime, scratch)).containsExactly("-XX:ArchiveClassesAtExit=" + scratch);

        Files.createDirectories(scratch.getParent());
        Files.write(scratch, new byte[4096]);
        archives.publish(runtime, scratch);
        assertThat(archives.archiveFor(runtime)).exists().hasSize(4096);
        assertThat(scratch).doesNotExist();
    }

    @Test
    void aFileTheJvmWouldNotMapIsDeletedAndWrittenAgain() throws Exception {
        CassandraRuntime runtime = runtime();
        ClassArchive archives = new ClassArchive(Files.createDirectories(dir.resolve("class-archives")));
        Files.write(archives.archiveFor(runtime), "not an archive".getBytes());

        List<String> flags = archives.flags(runtime, dir.resolve("scratch.jsa"));

        assertThat(flags).containsExactly("-XX:ArchiveClassesAtExit=" + dir.resolve("scratch.jsa"));
        assertThat(archives.archiveFor(runtime)).doesNotExist();
    }

    @Test
    void aNodeKilledBeforeItWroteAnArchiveLeavesNone() throws Exception {
        CassandraRuntime runtime = runtime();
        ClassArchive archives = new ClassArchive(dir.resolve("class-archives"));
        archives.publish(runtime, dir.resolve("never-written.jsa"));
        assertThat(archives.archiveFor(runtime)).doesNotExist();
    }

    @Test
    void publishingDeletesOtherRuntimesArchivesAfterAWeekAndKeepsRecentOnes() throws Exception {
        CassandraRuntime runtime = runtime();
        Path dir = Files.createDirectories(this.dir.resolve("class-archives"));
        Path old = Files.write(dir.resolve("cassandra-0000000000000000.jsa"), new byte[8]);
        Path oldNote = Files.write(dir.resolve("cassandra-0000000000000000.jsa.checked"), new byte[8]);
        Path recent = Files.write(dir.resolve("cassandra-1111111111111111.jsa"), new byte[8]);
        Path halfCopied = Files.write(dir.resolve(".incoming-x.jsa"), new byte[8]);
        FileTime longAgo = FileTime.fromMillis(System.currentTimeMillis() - ClassArchive.KEEP_OTHERS.toMillis() - 60_000);
        for (Path p : List.of(old, oldNote, halfCopied)) {
            Files.setLastModifiedTime(p, longAgo);
        }
        Path scratch = Files.write(this.dir.resolve("classes.jsa"), new byte[4096]);
        ClassArchive archives = new ClassArchive(dir);

        archives.publish(runtime, scratch);

        assertThat(old).doesNotExist();
        assertThat(oldNote).doesNotExist();
        assertThat(halfCopied).doesNotExist();
        assertThat(recent).exists();
        assertThat(archives.archiveFor(runtime)).exists();
    }
}
