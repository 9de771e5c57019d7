package io.snapci.scheduler.local.storage;

import io.snapci.scheduler.local.storage.FileTransfer.LinkProblem;
import io.snapci.scheduler.local.storage.FileTransfer.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.snapci.scheduler.local.storage.CassandraFixtures.inode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The file mover. {@code "auto"} runs the batched {@code cp} path that reflink filesystems use, on a filesystem
 * without reflinks ({@code cp --reflink=auto} falls back to a plain copy), so it is tested everywhere.
 */
class LocalFileTransferTest {

    @TempDir
    Path tmp;

    private List<Path> sources(int n) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path file = CassandraFixtures.write(tmp.resolve("src/nb-" + i + "-big-Statistics.db"), 100 + i);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
            Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_000L + i * 1000L));
            files.add(file);
        }
        return files;
    }

    @ParameterizedTest(name = "cp --reflink={0}")
    @NullSource
    @ValueSource(strings = "auto")
    void copiesKeepContentPermissionsAndTimes(String mode) throws Exception {
        List<Path> sources = sources(250); // more than one cp batch
        Path target = Files.createDirectories(tmp.resolve("dst"));

        Set<Path> vanished = new FileTransfer(mode, CopyObserver.NONE).copyInto(target, sources);

        assertEquals(Set.of(), vanished);
        for (Path source : sources) {
            Path copy = target.resolve(source.getFileName());
            assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(copy));
            assertNotEquals(inode(source), inode(copy));
            assertEquals(Files.getPosixFilePermissions(source), Files.getPosixFilePermissions(copy));
            assertEquals(Files.getLastModifiedTime(source), Files.getLastModifiedTime(copy));
        }
    }

    @ParameterizedTest(name = "cp --reflink={0}")
    @NullSource
    @ValueSource(strings = "auto")
    void reportsFilesThatVanishedAndCopiesTheRest(String mode) throws Exception {
        List<Path> sources = sources(5);
        Path gone = sources.get(2);
        Path target = Files.createDirectories(tmp.resolve("dst"));
        CopyObserver compaction = source -> Files.deleteIfExists(gone);

        Set<Path> vanished = new FileTransfer(mode, compaction).copyInto(target, sources);

        assertEquals(Set.of(gone), vanished);
        assertFalse(Files.exists(target.resolve(gone.getFileName())));
        assertEquals(4, Files.list(target).count());
    }

    /** Copying over a name that is a hard link into the source must replace the name, never write the inode. */
    @ParameterizedTest(name = "cp --reflink={0}")
    @NullSource
    @ValueSource(strings = "auto")
    void neverWritesThroughAnExistingHardLink(String mode) throws Exception {
        Path production = CassandraFixtures.write(tmp.resolve("prod/nb-1-big-Statistics.db"), 300);
        byte[] before = Files.readAllBytes(production);
        Path target = Files.createDirectories(tmp.resolve("dst"));
        Files.createLink(target.resolve("nb-1-big-Statistics.db"), production);
        Path other = CassandraFixtures.write(tmp.resolve("other/nb-1-big-Statistics.db"), 500);

        new FileTransfer(mode, CopyObserver.NONE).copyInto(target, List.of(other));

        assertArrayEquals(before, Files.readAllBytes(production));
        assertArrayEquals(Files.readAllBytes(other), Files.readAllBytes(target.resolve("nb-1-big-Statistics.db")));
    }

    @Test
    void linksShareTheInode() throws Exception {
        Path source = CassandraFixtures.write(tmp.resolve("src/nb-1-big-Data.db"), 100);
        Path target = Files.createDirectories(tmp.resolve("dst")).resolve("nb-1-big-Data.db");

        FileTransfer transfer = new FileTransfer(null, CopyObserver.NONE);
        assertEquals(Outcome.LINKED, transfer.linkOrCopy(source, source, target));

        assertEquals(inode(source), inode(target));
        assertEquals(Set.of(), transfer.linkProblems());
    }

    @Test
    void aVanishedFileIsReportedNotThrown() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("dst")).resolve("nb-1-big-Data.db");
        assertEquals(Outcome.VANISHED,
                new FileTransfer(null, CopyObserver.NONE).linkOrCopy(tmp.resolve("nb-1-big-Data.db"),
                        tmp.resolve("nb-1-big-Data.db"), target));
        assertFalse(Files.exists(target));
    }

    @Test
    void acrossFilesystemsLinksBecomeCopies() throws Exception {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no /dev/shm");
        assumeTrue(!Files.getAttribute(shm, "unix:dev").equals(Files.getAttribute(tmp, "unix:dev")));
        Path source = CassandraFixtures.write(tmp.resolve("src/nb-1-big-Data.db"), 100);
        Path dir = Files.createTempDirectory(shm, "snapci-test-");
        try {
            Path target = dir.resolve("nb-1-big-Data.db");
            assertEquals(LinkProblem.CROSS_DEVICE, FileTransfer.linkProblem(source, dir).orElseThrow());
            assertEquals(FileTransfer.ReflinkTrial.UNSUPPORTED, FileTransfer.tryReflink(source, dir),
                    "no reflinks across filesystems");

            FileTransfer transfer = new FileTransfer(null, CopyObserver.NONE);
            assertEquals(Outcome.COPIED, transfer.linkOrCopy(source, source, target));

            assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(target));
            assertEquals(Set.of(LinkProblem.CROSS_DEVICE), transfer.linkProblems());
            Files.delete(target);
        } finally {
            Files.deleteIfExists(dir.resolve(".snapci-reflink-probe"));
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void probesLeaveNothingBehind() throws Exception {
        Path source = CassandraFixtures.write(tmp.resolve("src/nb-1-big-Data.db"), 100);
        Path dir = Files.createDirectories(tmp.resolve("dst"));

        assertTrue(FileTransfer.linkProblem(source, dir).isEmpty());
        FileTransfer.tryReflink(source, dir); // works on btrfs/XFS, not on ext4: either way, no trace

        assertEquals(0, Files.list(dir).count());
        assertEquals(1, Files.getAttribute(source, "unix:nlink"));
    }

    @Test
    void recognisesAFullDisk() {
        assertTrue(FileTransfer.isNoSpace(new FileSystemException("/x", null, "No space left on device")));
        assertTrue(FileTransfer.isNoSpace(new IOException("wrapped", new IOException("Disk quota exceeded"))));
        assertFalse(FileTransfer.isNoSpace(new IOException("Permission denied")));
    }
}
