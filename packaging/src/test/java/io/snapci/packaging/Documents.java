package io.snapci.packaging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Strict JSON reading: no comments, no trailing commas, no duplicate keys (Marathon and Cosmos accept none). */
final class Documents {

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Documents() {
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage() + "\n" + text, e);
        }
    }

    static JsonNode read(Path file) {
        return parse(text(file));
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checkout's root (the surefire and failsafe configurations pass it). */
    static Path repoRoot() {
        return Path.of(System.getProperty("snapci.repo.root", "..")).toAbsolutePath().normalize();
    }
}
