package io.snapci.server.auth;

/**
 * Who made a request, as far as snapci needs to know: a name fit for a log (never the token itself) and whether
 * it may change things (submit, cancel) or only read.
 */
public record Caller(String name, boolean canWrite) {
}
