package io.snapci.scheduler.local.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Moves single files from the source into the clone: hard links, and real copies that are reflinks where the
 * filesystem has them. Only ever reads the source.
 *
 * <p>A file that disappears from the source while it is handled (a live node's compaction deleted it) is reported as
 * vanished rather than failing: the caller decides what that means for the SSTable it belongs to.
 */
final class FileTransfer {

    /** What became of one file. */
    enum Outcome { LINKED, COPIED, VANISHED }

    /** Why a hard link could not be made, so the file was copied instead. */
    enum LinkProblem {
        /** EXDEV: the clone root is on another filesystem than the source (hard links cannot cross filesystems). */
        CROSS_DEVICE,
        /** EPERM/EACCES: typically fs.protected_hardlinks, when the source files belong to another user. */
        NOT_PERMITTED;

        static Optional<LinkProblem> of(FileSystemException e) {
            String reason = String.valueOf(e.getReason()).toLowerCase(Locale.ROOT);
            if (reason.contains("cross-device")) {
                return Optional.of(CROSS_DEVICE);
            }
            if (e instanceof AccessDeniedException || reason.contains("operation not permitted")) {
                return Optional.of(NOT_PERMITTED);
            }
            return Optional.empty();
        }
    }

    /** Files per {@code cp} invocation: few processes, and well under any argument-length limit. */
    private static final int CP_BATCH = 200;

    private final String reflinkMode;
    private final CopyObserver observer;
    private final Set<LinkProblem> linkProblems = EnumSet.noneOf(LinkProblem.class);

    /**
     * @param reflinkMode {@code "always"} to copy with {@code cp --reflink=always} (the filesystem was probed and has
     *                    reflinks), {@code null} to copy with Java ({@code Files.copy}); tests use {@code "auto"} to
     *                    run the {@code cp} path on filesystems without reflinks
     */
    FileTransfer(String reflinkMode, CopyObserver observer) {
        this.reflinkMode = reflinkMode;
        this.observer = observer;
    }

    boolean reflink() {
        return "always".equals(reflinkMode);
    }

    /** The reasons hard links fell back to copies so far; empty while every link worked. */
    Set<LinkProblem> linkProblems() {
        return EnumSet.copyOf(linkProblems);
    }

    /** What one trial reflink said: it worked, the filesystems cannot do it, or it failed for another reason. */
    enum ReflinkTrial { WORKS, UNSUPPORTED, FAILED }

    /**
     * Whether {@code cp --reflink=always} works from the source's filesystem into {@code scratchDir}. Java has no
     * reflink API; one small trial copy is the reliable way to know (btrfs, XFS with reflink=1, ZFS 2.2+, APFS via
     * GNU cp, ... say yes; ext4 and tmpfs say no). Tells the filesystem's own "no" (GNU cp: "failed to clone ...:
     * Operation not supported" (EOPNOTSUPP), "Inappropriate ioctl for device" (ENOTTY: no clone call at all), or
     * "Invalid cross-device link" between two filesystems) from any other failure (the sample gone, no space, no GNU
     * cp, or EINVAL, which btrfs also gives for one file it cannot clone).
     */
    static ReflinkTrial tryReflink(Path sample, Path scratchDir) {
        Path probe = scratchDir.resolve(".snapci-reflink-probe");
        try {
            CpResult result = run(List.of("cp", "--reflink=always", "--", sample.toString(), probe.toString()));
            Files.deleteIfExists(probe);
            if (result.ok()) {
                return ReflinkTrial.WORKS;
            }
            String output = result.output();
            boolean filesystemSaysNo = output.contains("Operation not supported")
                    || output.contains("Invalid cross-device link") || output.contains("Inappropriate ioctl");
            return output.contains("failed to clone") && filesystemSaysNo ? ReflinkTrial.UNSUPPORTED
                    : ReflinkTrial.FAILED;
        } catch (IOException e) {
            return ReflinkTrial.FAILED;
        }
    }

    /** Whether a hard link from the source into {@code scratchDir} works; the trial link is removed at once. */
    static Optional<LinkProblem> linkProblem(Path sample, Path scratchDir) throws IOException {
        Path probe = scratchDir.resolve(".snapci-link-probe");
        try {
            Files.createLink(probe, sample);
            Files.delete(probe);
            return Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty(); // the sample vanished (live node): no verdict, the real links will tell
        } catch (FileSystemException e) {
            Optional<LinkProblem> problem = LinkProblem.of(e);
            if (problem.isEmpty()) {
                throw e;
            }
            return problem;
        }
    }

    /**
     * Hard-links {@code source} as {@code target}; copies it when links are impossible (another filesystem, not
     * permitted), remembering why. {@code existing} is the file the link is made to: {@code source}, or the file it
     * points at if it is a symlink (Linux link() would link the symlink itself; the listing resolved it).
     */
    Outcome linkOrCopy(Path source, Path existing, Path target) throws IOException {
        observer.beforeTransfer(source);
        try {
            Files.createLink(target, existing);
            return Outcome.LINKED;
        } catch (NoSuchFileException e) {
            if (Files.notExists(source)) {
                return Outcome.VANISHED;
            }
            throw e;
        } catch (FileSystemException e) {
            Optional<LinkProblem> problem = LinkProblem.of(e);
            if (problem.isEmpty()) {
                throw e;
            }
            linkProblems.add(problem.get());
            return copyOne(source, target) ? Outcome.COPIED : Outcome.VANISHED;
        }
    }

    /**
     * Copies each source file into {@code targetDir} under its own name, batching {@code cp} calls when copying with
     * reflinks. Returns the files that had vanished from the source.
     */
    Set<Path> copyInto(Path targetDir, List<Path> sources) throws IOException {
        Set<Path> vanished = new HashSet<>();
        if (reflinkMode == null) {
            for (Path source : sources) {
                observer.beforeTransfer(source);
                if (!copyOne(source, targetDir.resolve(source.getFileName().toString()))) {
                    vanished.add(source);
                }
            }
            return vanished;
        }
        for (int from = 0; from < sources.size(); from += CP_BATCH) {
            List<Path> batch = sources.subList(from, Math.min(sources.size(), from + CP_BATCH));
            for (Path source : batch) {
                observer.beforeTransfer(source);
            }
            List<String> command = new ArrayList<>(cpOptions());
            command.addAll(List.of("-t", targetDir.toString(), "--"));
            batch.forEach(source -> command.add(source.toString()));
            CpResult result = run(command);
            if (result.ok()) {
                continue;
            }
            if (isNoSpace(result.output())) {
                throw new FileSystemException(targetDir.toString(), null, result.output().strip());
            }
            // Something in the batch failed (most likely a file a compaction deleted): redo it file by file to find
            // out which, and whether the failure is real.
            for (Path source : batch) {
                if (!copyOne(source, targetDir.resolve(source.getFileName().toString()))) {
                    vanished.add(source);
                }
            }
        }
        return vanished;
    }

    /**
     * Writes the copy of {@code source} as {@code target} from {@code content}, its bytes read a moment ago, with the
     * source's modification time: the source is not read again. The file is new (an existing target is replaced, never
     * written through: see {@link #copyOne}); the source's vanishing meanwhile is for the caller's next listing to
     * see, as for any file copied before it vanished.
     */
    void writeCopy(Path source, Path target, byte[] content, FileTime modified) throws IOException {
        observer.beforeTransfer(source);
        try {
            Files.write(target, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) { // CREATE_NEW (O_EXCL) never opens what is there, even a symlink
            Files.delete(target);
            Files.write(target, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        Files.setLastModifiedTime(target, modified);
    }

    /**
     * Copies the first {@code length} bytes of {@code source} into a new file {@code target} (with the source's
     * modification time); {@code false} if the source had vanished. Java, not {@code cp}: no {@code cp} copies part
     * of a file, and the part is what a node wrote, rarely large.
     */
    boolean copyPrefix(Path source, Path target, long length) throws IOException {
        observer.beforeTransfer(source);
        Files.deleteIfExists(target); // never write through an existing target: see copyOne
        try (FileChannel from = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel to = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long done = 0; done < length; ) {
                long moved = from.transferTo(done, length - done, to);
                if (moved <= 0) {
                    throw new IOException(source + " ended at " + done + " bytes, before the " + length
                            + " bytes planned: a commit log segment does not shrink");
                }
                done += moved;
            }
        } catch (NoSuchFileException e) {
            if (Files.notExists(source)) {
                Files.deleteIfExists(target);
                return false;
            }
            throw e;
        }
        try {
            Files.setLastModifiedTime(target, Files.getLastModifiedTime(source));
        } catch (NoSuchFileException e) {
            // discarded just after it was copied: its writes are flushed, replaying the copy of them is harmless
        }
        return true;
    }

    /** Copies one file; {@code false} if the source had vanished. */
    private boolean copyOne(Path source, Path target) throws IOException {
        // Remove an existing target first instead of overwriting it: if it were a hard link into the source,
        // opening it for write would write into production data.
        Files.deleteIfExists(target);
        if (reflinkMode != null) {
            List<String> command = new ArrayList<>(cpOptions());
            command.addAll(List.of("--", source.toString(), target.toString()));
            CpResult result = run(command);
            if (result.ok()) {
                return true;
            }
            if (Files.notExists(source)) {
                Files.deleteIfExists(target);
                return false;
            }
            throw new FileSystemException(source.toString(), target.toString(), result.output().strip());
        }
        try {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
            return true;
        } catch (NoSuchFileException e) {
            if (Files.notExists(source)) {
                Files.deleteIfExists(target);
                return false;
            }
            throw e;
        }
    }

    private List<String> cpOptions() {
        // --remove-destination: never open an existing target for writing (see copyOne).
        return List.of("cp", "--reflink=" + reflinkMode, "--preserve=mode,timestamps", "--remove-destination");
    }

    /** Whether an error (message) means the disk is full. */
    static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (isNoSpace(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNoSpace(String message) {
        return message != null
                && (message.contains("No space left on device") || message.contains("Disk quota exceeded"));
    }

    private record CpResult(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private static CpResult run(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C"); // English error messages: we look for "No space left on device"
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            return new CpResult(process.waitFor(), output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while copying with cp");
        }
    }
}
