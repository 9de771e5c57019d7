package io.snapci.server.config;

/** A configuration value that is missing, unknown or malformed; the message names the key, where it came from, and what to do. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
