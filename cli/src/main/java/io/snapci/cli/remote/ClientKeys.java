package io.snapci.cli.remote;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The client key a CI job submits its run under, so that submitting again (a retried request, a CLI restarted by the
 * runner) finds the same run instead of starting a second one. From the CI system's own job identity: GitLab
 * ({@code CI_PROJECT_PATH}/{@code CI_JOB_ID}), Jenkins ({@code BUILD_TAG}), GitHub Actions ({@code GITHUB_REPOSITORY},
 * {@code GITHUB_RUN_ID}, {@code GITHUB_RUN_ATTEMPT}, {@code GITHUB_JOB}). Characters the API does not allow become
 * {@code _}; keys longer than 128 keep their start and a hash of the whole.
 */
public final class ClientKeys {

    static final int MAX_LENGTH = 128;

    private ClientKeys() {
    }

    public static Optional<String> fromCi(Map<String, String> env) {
        if (env.get("CI_JOB_ID") != null) {
            return Optional.of(shape("gitlab:" + env.getOrDefault("CI_PROJECT_PATH", "project") + "/"
                    + env.get("CI_JOB_ID")));
        }
        if (env.get("BUILD_TAG") != null) {
            return Optional.of(shape(env.get("BUILD_TAG")));
        }
        if (env.get("GITHUB_RUN_ID") != null) {
            return Optional.of(shape("github:" + env.getOrDefault("GITHUB_REPOSITORY", "repo") + "/"
                    + env.get("GITHUB_RUN_ID") + "/" + env.getOrDefault("GITHUB_RUN_ATTEMPT", "1") + "/"
                    + env.getOrDefault("GITHUB_JOB", "job")));
        }
        return Optional.empty();
    }

    /** A key the API accepts: {@code [A-Za-z0-9][A-Za-z0-9_.:/@+-]{0,127}}. */
    static String shape(String raw) {
        String key = raw.replaceAll("[^A-Za-z0-9_.:/@+-]", "_");
        if (!Character.isLetterOrDigit(key.charAt(0))) {
            key = "k" + key;
        }
        if (key.length() > MAX_LENGTH) {
            key = key.substring(0, MAX_LENGTH - 17) + "+" + sha256(raw).substring(0, 16);
        }
        return key;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
