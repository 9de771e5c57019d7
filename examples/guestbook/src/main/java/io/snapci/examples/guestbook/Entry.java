package io.snapci.examples.guestbook;

import java.time.Instant;
import java.util.UUID;

/** One signature in the guestbook: a row of {@code guestbook.entries}. */
public record Entry(UUID id, String author, String message, Instant signedAt) {
}
