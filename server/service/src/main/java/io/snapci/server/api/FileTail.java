package io.snapci.server.api;

import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Streams a file, or its last {@code tailBytes} bytes, without holding it in memory (logs can be large). */
final class FileTail implements StreamingOutput {

    private final Path file;
    private final long tailBytes;

    /** @param tailBytes 0 for the whole file */
    FileTail(Path file, long tailBytes) {
        this.file = file;
        this.tailBytes = tailBytes;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            if (tailBytes > 0 && size > tailBytes) {
                in.skipNBytes(size - tailBytes);
            }
            in.transferTo(out);
        }
    }
}
